using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Telephony;

/// <summary>
/// What a screen pop shows for a caller's number: the app-bar search's answer for it (one customer, several, or none with
/// the interactions that used the number), within what the agent may see — plus, for one customer with an Awaiting
/// survey the agent may call about, that survey record, so the pop can offer Open for a call.
/// </summary>
public sealed record ScreenPop(string CallId, string Number, ContactSearchResult Contacts, int? AwaitingRecordId)
{
    public ContactMatch? Single => Contacts.IsSingle ? Contacts.Matches[0] : null;
}

public sealed class ScreenPopQuery(ContactLookup lookup, IDbContextFactory<KonnectDbContext> dbFactory)
{
    public const int MaxListed = 10;

    public async Task<ScreenPop> ForNumberAsync(UserScope agent, string callId, string number, CancellationToken ct = default)
    {
        var contacts = await lookup.SearchAsync(agent, number, 0, MaxListed, ct: ct);
        int? awaiting = null;
        if (contacts.IsSingle && agent.CanCall)
        {
            var customerId = contacts.Matches[0].CustomerId;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            awaiting = await db.SurveyRecords.AsNoTracking()
                .Where(r => r.CustomerId == customerId && r.Status == SurveyStatus.Awaiting)
                .OrderByDescending(r => r.StatusChangedAt).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
        }
        return new ScreenPop(callId, number, contacts, awaiting);
    }
}
