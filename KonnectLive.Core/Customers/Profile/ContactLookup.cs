using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Profile;

/// <summary>What the search text was understood as.</summary>
public enum LookupKind { Empty, Phone, Email, Text }

/// <summary>One customer in the search results.</summary>
public sealed record ContactMatch(
    int CustomerId,
    string Name,
    int DealershipId,
    string DealershipName,
    IReadOnlyList<string> Phones,
    string? Email,
    IReadOnlyList<string> Registrations,
    SurveyStatus? LatestSurveyStatus);

/// <summary>
/// A search's answer: the matching customers (one page of them), and — when a phone number or email matched nobody —
/// that number or email in normal form with the interactions that used it.
/// </summary>
public sealed record ContactSearchResult(
    string Query,
    LookupKind Kind,
    string? Phone,
    string? Email,
    IReadOnlyList<ContactMatch> Matches,
    int Total,
    InteractionPage? UnmatchedInteractions)
{
    public static readonly ContactSearchResult Empty = new("", LookupKind.Empty, null, null, [], 0, null);
    public bool IsSingle => Total == 1 && Matches.Count == 1;
}

/// <summary>
/// Finds customers by phone (any format, normalised as ingest does), email (case-insensitive), name (contains) or
/// vehicle registration (spaces and case ignored). A dealership user only ever finds their own dealership's
/// customers; head office finds all. Filtering, ordering and paging happen in the database.
/// </summary>
public sealed class ContactLookup(IDbContextFactory<KonnectDbContext> dbFactory, InteractionHistoryQuery history)
{
    public const int MaxPageSize = 200;

    public async Task<ContactSearchResult> SearchAsync(UserScope user, string? query, int skip = 0, int take = 50,
        string? filter = null, CancellationToken ct = default)
    {
        var q = query?.Trim() ?? "";
        if (q.Length == 0) return ContactSearchResult.Empty;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (kind, phone, email, customers) = Match(db, q);
        if (user.DealershipId is { } own)
            customers = customers.Where(c => c.DealershipId == own); // whatever was typed, never another dealership's customer
        if (!string.IsNullOrWhiteSpace(filter))
            customers = Narrow(db, customers, filter.Trim());

        var total = await customers.CountAsync(ct);
        var rows = total == 0 ? [] : await customers
            .OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.Id)
            .Skip(Math.Max(0, skip))
            .Take(Math.Clamp(take, 1, MaxPageSize))
            .Select(c => new ContactMatch(
                c.Id,
                (c.Title == null || c.Title == "" ? "" : c.Title + " ") + c.FirstName + " " + c.LastName,
                c.DealershipId,
                c.Dealership.Name,
                c.Phones.OrderBy(p => p.Position).Select(p => p.Number).ToList(),
                c.Email,
                c.Vehicles.OrderBy(v => v.Id).Select(v => v.Registration).ToList(),
                db.SurveyRecords.Where(r => r.CustomerId == c.Id).OrderByDescending(r => r.StatusChangedAt)
                    .Select(r => (SurveyStatus?)r.Status).FirstOrDefault()))
            .AsSplitQuery()
            .ToListAsync(ct);

        // Nobody has this number or email (in the user's scope): show what happened with it anyway.
        InteractionPage? unmatched = null;
        if (total == 0 && string.IsNullOrWhiteSpace(filter) && (phone is not null || email is not null))
            unmatched = await history.ForAddressAsync(user, phone, email, 0, InteractionHistoryQuery.DefaultPageSize, ct);

        return new ContactSearchResult(q, kind, phone, email, rows, total, unmatched);
    }

    /// <summary>How the text is read: an email, a full phone number, or a name / registration (with digit fragments).</summary>
    private static (LookupKind, string?, string?, IQueryable<Customer>) Match(KonnectDbContext db, string q)
    {
        var customers = db.Customers.AsNoTracking();
        if (q.Contains('@'))
        {
            var email = q.ToLowerInvariant();
            return (LookupKind.Email, null, email, customers.Where(c => c.Email != null && c.Email.ToLower() == email));
        }

        if (LooksLikePhone(q) && PhoneNormaliser.ToE164(q) is { } e164)
        {
            // The same normalisation as ingest gives the exact E.164 form; the national digits also find numbers
            // stored in another form (07700900123, or without the country code).
            var national = PhoneNormaliser.NationalDigits(q)!;
            var ids = db.CustomerPhones.Where(p => p.Number == e164).Select(p => p.CustomerId).Concat(SearchKeys.CustomersByPhone(db, national));
            return (LookupKind.Phone, e164, null, customers.Where(c => ids.Contains(c.Id)));
        }

        return (LookupKind.Text, null, null, Narrow(db, customers, q));
    }

    /// <summary>Name contains, registration contains (spaces and case ignored), or a phone containing the digits typed.</summary>
    private static IQueryable<Customer> Narrow(KonnectDbContext db, IQueryable<Customer> customers, string text)
    {
        // Names and registrations through the normalised search columns (SearchKeys): case and accents ignored on every provider.
        var byRegistration = SearchKeys.CustomersByRegistration(db, text);
        var digits = new string(text.Where(char.IsDigit).ToArray());
        if (digits.Length >= 4 && LooksLikePhone(text))
        {
            var byPhone = SearchKeys.CustomersByPhone(db, PhoneNormaliser.NationalDigits(text) ?? digits.TrimStart('0'));
            return customers.Where(c => byPhone.Contains(c.Id) || byRegistration.Contains(c.Id));
        }
        var byName = SearchKeys.CustomersByName(db, text);
        // "Mr Smith": a leading title is matched on the title, the rest on the name.
        var words = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 2)
        {
            var title = words[0].TrimEnd('.').ToLower();
            var titled = db.Customers.Where(c => c.Title != null && c.Title.ToLower() == title).Select(c => c.Id)
                .Intersect(SearchKeys.CustomersByName(db, words[1]));
            byName = byName.Concat(titled);
        }
        // Emails are stored lower case; dealership names are few and compared lower case on both providers.
        var lower = "%" + EscapeLike(text.ToLowerInvariant()) + "%";
        return customers.Where(c =>
            byName.Contains(c.Id)
            || (c.Email != null && EF.Functions.Like(c.Email, lower, "\\"))
            || EF.Functions.Like(c.Dealership.Name.ToLower(), lower, "\\")
            || byRegistration.Contains(c.Id));
    }

    /// <summary>Digits with the punctuation people type in numbers: +, spaces, brackets, dashes, dots.</summary>
    private static bool LooksLikePhone(string s) =>
        s.Any(char.IsDigit) && s.All(ch => char.IsDigit(ch) || ch is '+' or ' ' or '(' or ')' or '-' or '.');

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
