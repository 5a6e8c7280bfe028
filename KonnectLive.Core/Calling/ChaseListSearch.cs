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

        // Each kind of match is a set of customer ids, materialised once by the database (IN (subquery)),
        // rather than a LIKE evaluated per chase-list row against joined tables.
        var like = "%" + EscapeLike(search) + "%";
        var compact = "%" + EscapeLike(search.Replace(" ", "")) + "%";
        var byName = db.Customers.Where(c => EF.Functions.Like(c.FirstName + " " + c.LastName, like, "\\")).Select(c => c.Id);
        var byRegistration = db.Vehicles.Where(v => EF.Functions.Like(v.Registration.Replace(" ", ""), compact, "\\")).Select(v => v.CustomerId);
        var digits = new string(search.Where(char.IsDigit).ToArray());
        if (digits.Length < 4)
            return query.Where(r => byName.Contains(r.CustomerId) || byRegistration.Contains(r.CustomerId));

        // 07700 900123, +44 7700 900123 and 0044 7700 900123 are all stored as +447700900123: a full
        // number matches on its national digits; a fragment on its digits after any trunk 0.
        var national = PhoneNormaliser.NationalDigits(search) ?? digits.TrimStart('0');
        var phoneLike = "%" + national + "%";
        var byPhone = db.CustomerPhones.Where(p => EF.Functions.Like(p.Number, phoneLike)).Select(p => p.CustomerId);
        return query.Where(r => byName.Contains(r.CustomerId) || byRegistration.Contains(r.CustomerId) || byPhone.Contains(r.CustomerId));
    }

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
