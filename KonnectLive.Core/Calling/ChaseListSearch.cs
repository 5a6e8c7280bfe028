using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Calling;

/// <summary>
/// The chase list's search box: a name, a registration (spaces ignored) or a phone number in any common format. Shared by
/// the list itself and by <see cref="OffChaseListQuery"/>, which explains the matches that are not on it.
/// </summary>
internal static class ChaseListSearch
{
    /// <summary>The records of <paramref name="query"/> whose customer matches <paramref name="search"/> (all of them when it is blank).</summary>
    public static IQueryable<SurveyRecord> Matching(KonnectDbContext db, IQueryable<SurveyRecord> query, string? search)
    {
        search = search?.Trim();
        if (string.IsNullOrEmpty(search)) return query;

        // Each kind of match is a set of customer ids, materialised once by the database (IN (subquery)), compared on the
        // normalised search columns (SearchKeys) so case and accents are ignored alike on SQLite and PostgreSQL.
        var byName = SearchKeys.CustomersByName(db, search);
        var byRegistration = SearchKeys.CustomersByRegistration(db, search);
        var digits = new string(search.Where(char.IsDigit).ToArray());
        if (digits.Length < 4)
            return query.Where(r => byName.Contains(r.CustomerId) || byRegistration.Contains(r.CustomerId));

        // 07700 900123, +44 7700 900123 and 0044 7700 900123 are all stored as +447700900123: a full number matches on
        // its national digits; a fragment on the start or the end of them (after any trunk 0), each from an index.
        var byPhone = SearchKeys.CustomersByPhone(db, PhoneNormaliser.NationalDigits(search) ?? digits.TrimStart('0'));
        return query.Where(r => byName.Contains(r.CustomerId) || byRegistration.Contains(r.CustomerId) || byPhone.Contains(r.CustomerId));
    }

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
