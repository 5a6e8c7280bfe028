using System.Net.Mail;
using System.Text.RegularExpressions;
using KonnectLive.Core.Inbound;

namespace KonnectLive.Core.Customers.Import;

/// <summary>A row that passed validation, in stored form: phones E.164 and distinct, email lower case, VIN and registration upper case.</summary>
public sealed record ValidImportRow(int Line, int DealershipId, string? Title, string FirstName, string LastName,
    IReadOnlyList<(string Number, PhoneType? Type)> Phones, string? Email, string? Registration, string? Vin, string? Make, string? Model);

/// <summary>
/// Checks one row against the system fields' rules (the same limits as the FOCUS ingest). Every problem of a row is
/// reported, not just the first, so an admin can fix the file in one pass.
/// </summary>
public static partial class CustomerImportRowValidator
{
    [GeneratedRegex("^[A-HJ-NPR-Z0-9]{17}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VinPattern();

    /// <param name="dealerships">Known dealership codes (any case) → id, only those the importing user may see.</param>
    public static (ValidImportRow? Row, IReadOnlyList<string> Errors) Validate(CustomerCsvRow row, IReadOnlyDictionary<string, int> dealerships)
    {
        var errors = new List<string>();
        if (row.StructureError is { } structure) errors.Add("The row " + structure);

        int dealershipId = 0;
        if (row.DealershipCode.Length == 0) errors.Add("DealershipCode is required.");
        else if (!dealerships.TryGetValue(row.DealershipCode, out dealershipId)) errors.Add($"Unknown dealership code '{Shorten(row.DealershipCode)}'.");

        if (row.FirstName.Length == 0) errors.Add("FirstName is required.");
        else if (row.FirstName.Length > 100) errors.Add("FirstName can be at most 100 characters.");
        if (row.LastName.Length == 0) errors.Add("LastName is required.");
        else if (row.LastName.Length > 100) errors.Add("LastName can be at most 100 characters.");
        if (row.Title.Length > 20) errors.Add("Title can be at most 20 characters.");

        var phones = new List<(string Number, PhoneType? Type)>();
        for (var i = 0; i < Customer.MaxPhones; i++)
        {
            var raw = row.Phones[i];
            var rawType = row.PhoneTypes[i];
            PhoneType? type = null;
            if (rawType.Length > 0)
            {
                type = CsiFormats.ParseName<PhoneType>(rawType);
                if (type is null) errors.Add($"Phone{i + 1}Type must be Mobile, Home, Work or Other; got '{Shorten(rawType)}'.");
            }
            if (raw.Length == 0)
            {
                if (rawType.Length > 0) errors.Add($"Phone{i + 1}Type is given but Phone{i + 1} is empty.");
                continue;
            }
            var number = raw.Length <= 32 ? PhoneNormaliser.ToE164(raw) : null;
            if (number is null) { errors.Add($"Phone{i + 1} '{Shorten(raw)}' is not a valid phone number."); continue; }
            var earlier = phones.FindIndex(p => p.Number == number);
            if (earlier >= 0) errors.Add($"Phone{i + 1} repeats another phone number of the row ({PhoneNormaliser.Display(number)}).");
            else phones.Add((number, type));
        }

        string? email = null;
        if (row.Email.Length > 0)
        {
            if (row.Email.Length > 254 || !IsEmail(row.Email)) errors.Add($"Email '{Shorten(row.Email)}' is not a valid email address.");
            else email = row.Email.ToLowerInvariant();
        }
        if (phones.Count == 0 && email is null && !errors.Any(e => e.StartsWith("Phone") || e.StartsWith("Email")))
            errors.Add("A customer needs at least one phone number or an email address.");

        var hasVehicle = row.Registration.Length > 0 || row.Vin.Length > 0 || row.Make.Length > 0 || row.Model.Length > 0;
        if (hasVehicle)
        {
            if (row.Registration.Length == 0) errors.Add("Registration is required when a vehicle (Vin, Make or Model) is given.");
            else if (row.Registration.Length > 16) errors.Add("Registration can be at most 16 characters.");
            if (row.Vin.Length > 0 && !VinPattern().IsMatch(row.Vin))
                errors.Add(row.Vin.Length != 17
                    ? $"Vin must be 17 characters; '{Shorten(row.Vin)}' has {row.Vin.Length}."
                    : $"Vin '{row.Vin}' may only contain letters (not I, O or Q) and digits.");
            if (row.Make.Length > 50) errors.Add("Make can be at most 50 characters.");
            if (row.Model.Length > 80) errors.Add("Model can be at most 80 characters.");
        }

        if (errors.Count > 0) return (null, errors);
        return (new ValidImportRow(row.Line, dealershipId, row.Title.Length > 0 ? row.Title : null, row.FirstName, row.LastName, phones, email,
            hasVehicle ? row.Registration.ToUpperInvariant() : null, row.Vin.Length > 0 ? row.Vin.ToUpperInvariant() : null,
            row.Make.Length > 0 ? row.Make : null, row.Model.Length > 0 ? row.Model : null), []);
    }

    private static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && address.Host.Contains('.') && !value.Contains(' ');

    private static string Shorten(string v) => v.Length > 40 ? v[..40] + "…" : v;
}
