using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace KonnectLive.Core.Customers;

/// <summary>
/// The normalised search columns, the same on every provider: <see cref="Customer.SearchName"/> (accent-free, upper
/// case), <see cref="CustomerPhone.SearchDigits"/> and its reverse (national digits), <see cref="Vehicle.RegistrationKey"/>
/// (upper case, no spaces). Searches normalise what was typed the same way and compare with plain, case-sensitive
/// operators, so SQLite and PostgreSQL answer alike and from indexes. <see cref="Refresh"/> keeps them on every save
/// (KonnectDbContext calls it), whoever writes — ingest, import, profile edits, merges; rows inserted with raw SQL must
/// fill them (the start-up backfill in DatabaseInitializer does so for rows where they are null).
/// </summary>
public static class SearchKeys
{
    public static string Name(string? firstName, string? lastName) => NameNormaliser.Key($"{firstName} {lastName}");

    /// <summary>What a typed name fragment is compared as.</summary>
    public static string NameFragment(string text) => NameNormaliser.Key(text);

    public static string Registration(string? registration) => NameNormaliser.Key(registration).Replace(" ", "");

    /// <summary>National digits of a stored number (+447700900123 → 7700900123); any other form: its digits after a trunk 0.</summary>
    public static string Digits(string? number)
    {
        if (string.IsNullOrWhiteSpace(number)) return "";
        return PhoneNormaliser.NationalDigits(number) ?? new string(number.Where(char.IsAsciiDigit).ToArray()).TrimStart('0');
    }

    public static string Reverse(string s)
    {
        var chars = s.ToCharArray();
        Array.Reverse(chars);
        return new string(chars);
    }

    /// <summary>
    /// [from, to) of the strings that start with <paramref name="digits"/>, as a range an index can serve in any collation
    /// (digit strings sort the same in all of them): "1239" → ["1239", "124"). No upper bound when it is all nines.
    /// </summary>
    public static (string From, string? To) DigitPrefixRange(string digits)
    {
        var trimmed = digits.TrimEnd('9');
        if (trimmed.Length == 0) return (digits, null);
        return (digits, trimmed[..^1] + (char)(trimmed[^1] + 1));
    }

    /// <summary>Customers whose first and last name contain <paramref name="text"/>, ignoring case and accents.</summary>
    public static IQueryable<int> CustomersByName(KonnectDbContext db, string text)
    {
        var key = NameFragment(text);
        var like = "%" + EscapeLike(key) + "%";
        var customers = db.Customers.Where(c => EF.Functions.Like(c.SearchName!, like, "\\"));
        if (db.Database.IsSqlite())
        {
            // The index finds the candidates; the LIKE above keeps only literal matches (a % or _ typed is a character).
            var candidates = SqliteContains(db, SqliteSearchIndex.CustomerTable, key);
            customers = customers.Where(c => candidates.Contains(c.Id));
        }
        return customers.Select(c => c.Id);
    }

    /// <summary>Customers with a vehicle whose registration contains <paramref name="text"/>, ignoring case and spaces.</summary>
    public static IQueryable<int> CustomersByRegistration(KonnectDbContext db, string text)
    {
        var key = Registration(text);
        var like = "%" + EscapeLike(key) + "%";
        var vehicles = db.Vehicles.Where(v => EF.Functions.Like(v.RegistrationKey!, like, "\\"));
        if (db.Database.IsSqlite())
        {
            var candidates = SqliteContains(db, SqliteSearchIndex.VehicleTable, key);
            vehicles = vehicles.Where(v => candidates.Contains(v.Id));
        }
        return vehicles.Select(v => v.CustomerId);
    }

    /// <summary>
    /// Customers with a number whose national digits start or end with <paramref name="nationalDigits"/> (a whole number is
    /// both). Two index range scans; a fragment from the middle of a number is not matched.
    /// </summary>
    public static IQueryable<int> CustomersByPhone(KonnectDbContext db, string nationalDigits)
    {
        var (from, to) = DigitPrefixRange(nationalDigits);
        var (rFrom, rTo) = DigitPrefixRange(Reverse(nationalDigits));
        var starts = db.CustomerPhones.Where(p => string.Compare(p.SearchDigits, from) >= 0);
        if (to is not null) starts = starts.Where(p => string.Compare(p.SearchDigits, to) < 0);
        var ends = db.CustomerPhones.Where(p => string.Compare(p.SearchDigitsReversed, rFrom) >= 0);
        if (rTo is not null) ends = ends.Where(p => string.Compare(p.SearchDigitsReversed, rTo) < 0);
        return starts.Select(p => p.CustomerId).Concat(ends.Select(p => p.CustomerId));
    }

    /// <summary>
    /// The rowids whose indexed column contains <paramref name="key"/>, from SQLite's FTS5 trigram index (LIKE on the FTS table
    /// is answered by the index for three characters or more). FTS5's LIKE has no ESCAPE, so a % or _ typed stays a
    /// wildcard here: a superset, which the caller narrows with an escaped LIKE on the column itself.
    /// </summary>
    private static IQueryable<int> SqliteContains(KonnectDbContext db, string table, string key)
    {
        var pattern = "%" + key + "%";
        return table switch
        {
            SqliteSearchIndex.CustomerTable => db.Database.SqlQuery<int>($"SELECT rowid AS \"Value\" FROM \"CustomerSearch\" WHERE \"SearchName\" LIKE {pattern}"),
            _ => db.Database.SqlQuery<int>($"SELECT rowid AS \"Value\" FROM \"VehicleSearch\" WHERE \"RegistrationKey\" LIKE {pattern}"),
        };
    }

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    /// <summary>Sets the search columns of every added or modified customer, phone and vehicle about to be saved.</summary>
    public static void Refresh(ChangeTracker tracker)
    {
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            switch (entry.Entity)
            {
                case Customer c:
                    Set(entry, nameof(Customer.SearchName), Name(c.FirstName, c.LastName));
                    break;
                case CustomerPhone p:
                    var digits = Digits(p.Number);
                    Set(entry, nameof(CustomerPhone.SearchDigits), digits);
                    Set(entry, nameof(CustomerPhone.SearchDigitsReversed), Reverse(digits));
                    break;
                case Vehicle v:
                    Set(entry, nameof(Vehicle.RegistrationKey), Registration(v.Registration));
                    break;
            }
        }
    }

    private static void Set(EntityEntry entry, string property, string value)
    {
        var p = entry.Property(property);
        if (!Equals(p.CurrentValue, value)) p.CurrentValue = value;
    }
}
