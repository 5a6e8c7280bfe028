using KonnectLive.Core.Audit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Data;
using KonnectLive.Core.Live;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Duplicates;

/// <summary>One survey record of a customer in the comparison, with the agent holding it (if any).</summary>
public sealed record DuplicateSurveyView(int Id, string FocusRecordId, SurveyStatus Status, string? Registration, string? LockHolderName);

/// <summary>One side of a possible duplicate, everything an admin compares before merging.</summary>
public sealed record DuplicateCustomerView(
    int Id,
    string FullName,
    string? Email,
    bool EmailUnsubscribed,
    string? FocusCustomerId,
    IReadOnlyList<PhoneView> Phones,
    IReadOnlyList<VehicleView> Vehicles,
    IReadOnlyList<DuplicateSurveyView> Surveys,
    int Notes,
    int Calls,
    int Messages,
    int CustomFields);

/// <summary>Two customers of one dealership who share a number and a last name: maybe one person twice, maybe a household.</summary>
public sealed record DuplicatePair(int DealershipId, string DealershipName, DuplicateCustomerView First, DuplicateCustomerView Second,
    IReadOnlyList<string> SharedNumbers);

public sealed record DuplicatePage(IReadOnlyList<DuplicatePair> Pairs, int Total);

/// <summary>
/// Customers → Possible duplicates: pairs of customers in the same dealership who share a phone number and have the same
/// last name (<see cref="NameNormaliser.Key"/>), unless an admin said they are different people. An admin merges a pair
/// (<see cref="CustomerMerge"/>) or marks it "different people" (remembered in <see cref="DifferentPeople"/>). Listing,
/// merging and marking re-check the admin against the database (<see cref="UserAdminGuard"/>); anyone who may see a
/// customer may ask whether they have a possible duplicate (the customer page's notice).
/// </summary>
public sealed class PossibleDuplicatesService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    UserAdminGuard guard,
    ILiveEventPublisher live,
    TimeProvider time)
{
    public const string AdminOnly = "Only administrators can review possible duplicates.";
    public const string MergedAction = "customer.merged";
    public const string DifferentPeopleAction = "customer.different-people";
    public const int MaxPairs = 100;
    private const string NotFound = "One of these customers no longer exists (merged already?). Reload the page.";

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The possible duplicates the admin may see (the first <see cref="MaxPairs"/>), or only those of one customer.</summary>
    /// <exception cref="UnauthorizedAccessException">The caller is not an enabled admin.</exception>
    public async Task<DuplicatePage> ListAsync(UserScope? by, int? customerId = null, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct) ?? throw new UnauthorizedAccessException(AdminOnly);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pairs = await FindPairsAsync(db, admin.DealershipId, customerId, ct);
        var page = pairs.Take(MaxPairs).ToList();
        var ids = page.SelectMany(p => new[] { p.Lower, p.Higher }).Distinct().ToList();
        var views = await LoadViewsAsync(db, ids, ct);
        var dealerships = await db.Dealerships.AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var result = page
            .Where(p => views.ContainsKey(p.Lower) && views.ContainsKey(p.Higher))
            .Select(p => new DuplicatePair(p.DealershipId, dealerships.GetValueOrDefault(p.DealershipId, ""), views[p.Lower], views[p.Higher],
                [.. p.Numbers]))
            .OrderBy(p => p.DealershipName).ThenBy(p => NameNormaliser.Key(p.First.FullName)).ThenBy(p => p.First.Id).ThenBy(p => p.Second.Id)
            .ToList();
        return new DuplicatePage(result, pairs.Count);
    }

    /// <summary>The other customers who may be this one twice; empty when the user may not see the customer.</summary>
    public async Task<IReadOnlyList<int>> ForCustomerAsync(UserScope user, int customerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dealershipId = await db.Customers.Where(c => c.Id == customerId).Select(c => (int?)c.DealershipId).SingleOrDefaultAsync(ct);
        if (dealershipId is not { } d || !user.CanSee(d)) return [];
        var pairs = await FindPairsAsync(db, d, customerId, ct);
        return [.. pairs.Select(p => p.Lower == customerId ? p.Higher : p.Lower)];
    }

    /// <summary>"Different people": the pair is not offered again.</summary>
    public async Task<CommandResult> MarkDifferentPeopleAsync(UserScope? by, int customerId, int otherId, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CommandResult.Forbidden(AdminOnly);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customers = await db.Customers.AsNoTracking().Where(c => c.Id == customerId || c.Id == otherId)
            .Select(c => new { c.Id, c.DealershipId, c.Title, c.FirstName, c.LastName }).ToListAsync(ct);
        if (customerId == otherId || customers.Count != 2 || customers.Any(c => !admin.CanSee(c.DealershipId))) return CommandResult.NotFound(NotFound);
        if (customers[0].DealershipId != customers[1].DealershipId) return CommandResult.Refused("These customers are in different dealerships.");
        var pair = DifferentPeople.Of(customers[0].DealershipId, customerId, otherId, admin.UserId, admin.DisplayName, Now);
        if (await db.DifferentPeople.AnyAsync(d => d.LowerCustomerId == pair.LowerCustomerId && d.HigherCustomerId == pair.HigherCustomerId, ct))
            return CommandResult.Unchanged("Already marked as different people.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.DifferentPeople.Add(pair);
        string Name(int id)
        {
            var c = customers.Single(x => x.Id == id);
            return $"#{c.Id} {string.Join(' ', new[] { c.Title, c.FirstName, c.LastName }.Where(s => !string.IsNullOrWhiteSpace(s)))}";
        }
        foreach (var id in new[] { customerId, otherId })
            AuditLog.Add(db, Now, admin, DifferentPeopleAction, nameof(Customer), id.ToString(),
                $"{Name(customerId)} and {Name(otherId)} are different people (not duplicates).", id);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return CommandResult.Done("Marked as different people: they will not be offered as duplicates again.");
    }

    /// <summary>
    /// Merges <paramref name="mergedId"/> into <paramref name="survivorId"/> (see <see cref="CustomerMerge"/>), refused while an
    /// agent has either customer open.
    /// </summary>
    public async Task<CommandResult> MergeAsync(UserScope? by, int survivorId, int mergedId, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return CommandResult.Forbidden(AdminOnly);
        if (survivorId == mergedId) return CommandResult.Refused("Choose two different customers.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (result, moved) = await CustomerMerge.RunAsync(db, admin, survivorId, mergedId, Now, ct);
        // After the commit: chase lists show the surviving customer's name on the records that moved.
        foreach (var e in moved) await live.PublishAsync(e, CancellationToken.None);
        return result;
    }

    private sealed record PairKey(int Lower, int Higher, int DealershipId, SortedSet<string> Numbers);

    /// <summary>
    /// Pairs sharing a number and a last name, not marked different people, ordered by id. Loads one row per customer
    /// phone whose number someone else also has — never a row per pair — and pairs them up in memory, where names
    /// compare without case or accents on any database.
    /// </summary>
    private static async Task<List<PairKey>> FindPairsAsync(KonnectDbContext db, int? dealershipId, int? customerId, CancellationToken ct)
    {
        var numbers = customerId is { } id
            ? db.CustomerPhones.Where(p => p.CustomerId == id).Select(p => p.Number)
            : db.CustomerPhones.GroupBy(p => p.Number).Where(g => g.Count() > 1).Select(g => g.Key);
        var rows = await (from p in db.CustomerPhones
                          join c in db.Customers on p.CustomerId equals c.Id
                          where numbers.Contains(p.Number) && (dealershipId == null || c.DealershipId == dealershipId)
                          select new { p.Number, c.Id, c.DealershipId, c.LastName }).AsNoTracking().ToListAsync(ct);

        var pairs = new Dictionary<(int, int), PairKey>();
        foreach (var group in rows.GroupBy(r => (r.DealershipId, r.Number, Name: NameNormaliser.Key(r.LastName))))
        {
            var ids = group.Select(r => r.Id).Distinct().Order().ToList();
            for (var i = 0; i < ids.Count; i++)
            for (var j = i + 1; j < ids.Count; j++)
            {
                if (customerId is { } only && ids[i] != only && ids[j] != only) continue;
                if (!pairs.TryGetValue((ids[i], ids[j]), out var pair))
                    pairs[(ids[i], ids[j])] = pair = new PairKey(ids[i], ids[j], group.Key.DealershipId, []);
                pair.Numbers.Add(group.Key.Number);
            }
        }
        if (pairs.Count == 0) return [];

        var lowers = pairs.Keys.Select(k => k.Item1).Distinct().ToList();
        var different = new HashSet<(int, int)>();
        foreach (var chunk in lowers.Chunk(500))
            different.UnionWith((await db.DifferentPeople.AsNoTracking().Where(d => chunk.Contains(d.LowerCustomerId))
                .Select(d => new { d.LowerCustomerId, d.HigherCustomerId }).ToListAsync(ct)).Select(d => (d.LowerCustomerId, d.HigherCustomerId)));
        return [.. pairs.Where(p => !different.Contains(p.Key)).Select(p => p.Value).OrderBy(p => p.Lower).ThenBy(p => p.Higher)];
    }

    private static async Task<Dictionary<int, DuplicateCustomerView>> LoadViewsAsync(KonnectDbContext db, List<int> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var customers = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new
            {
                c.Id, c.Title, c.FirstName, c.LastName, c.Email, c.EmailUnsubscribedAt, c.FocusCustomerId,
                Phones = c.Phones.OrderBy(p => p.Position).Select(p => new PhoneView(p.Id, p.Position, p.Number, p.Type.ToString(),
                    p.CallUnsubscribedAt != null, p.SmsUnsubscribedAt != null, p.WrongNumberAt != null)).ToList(),
                Vehicles = c.Vehicles.OrderBy(v => v.Id).Select(v => new VehicleView(v.Id, v.Registration, v.Vin, v.Make, v.Model)).ToList(),
            })
            .AsSplitQuery().ToListAsync(ct);
        var surveys = (await db.SurveyRecords.AsNoTracking().Where(r => ids.Contains(r.CustomerId))
                .OrderByDescending(r => r.StatusChangedAt)
                .Select(r => new { r.CustomerId, View = new DuplicateSurveyView(r.Id, r.FocusRecordId, r.Status,
                    r.Vehicle == null ? null : r.Vehicle.Registration, r.LockHolderName) })
                .ToListAsync(ct))
            .ToLookup(r => r.CustomerId, r => r.View);
        var notes = await CountAsync(db.CustomerNotes.Where(n => ids.Contains(n.CustomerId)).GroupBy(n => n.CustomerId), ct);
        var calls = await CountAsync(db.CallAttempts.Where(a => ids.Contains(a.CustomerId)).GroupBy(a => a.CustomerId), ct);
        var messages = await CountAsync(db.ScheduledMessages.Where(m => ids.Contains(m.CustomerId)).GroupBy(m => m.CustomerId), ct);
        var fields = await CountAsync(db.CustomFieldValues.Where(v => ids.Contains(v.CustomerId)).GroupBy(v => v.CustomerId), ct);
        return customers.ToDictionary(c => c.Id, c => new DuplicateCustomerView(c.Id,
            string.Join(' ', new[] { c.Title, c.FirstName, c.LastName }.Where(s => !string.IsNullOrWhiteSpace(s))),
            c.Email, c.EmailUnsubscribedAt is not null, c.FocusCustomerId, c.Phones, c.Vehicles, [.. surveys[c.Id]],
            notes.GetValueOrDefault(c.Id), calls.GetValueOrDefault(c.Id), messages.GetValueOrDefault(c.Id), fields.GetValueOrDefault(c.Id)));
    }

    private static async Task<Dictionary<int, int>> CountAsync<T>(IQueryable<IGrouping<int, T>> groups, CancellationToken ct) =>
        await groups.Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
}
