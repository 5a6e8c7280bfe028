using KonnectLive.Core.Calling;
using KonnectLive.Core.Common;
using KonnectLive.Core.Data;
using KonnectLive.Core.Reports;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Calling;

/// <summary>
/// Decline reasons an agent adds with "+" are proposals: theirs alone until an admin approves (perhaps renamed) or merges
/// them, counted by the declined report meanwhile, and following a merge there.
/// </summary>
public sealed class DeclineReasonProposalTests : IAsyncLifetime
{
    private static readonly IReadOnlyList<string> Seeded = DatabaseInitializer.DefaultDeclineReasons;
    private CoreTestDatabase _db = null!;
    private UserScope _admin = null!;
    private UserScope _nadia = null!;
    private UserScope _noah = null!;
    private UserScope _supervisor = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _admin = await _db.CreateUserAsync("ada", Roles.Admin);
        _nadia = await _db.CreateUserAsync("agent.nadia", Roles.Agent, csiVoice: true);
        _noah = await _db.CreateUserAsync("agent.noah", Roles.Agent, csiVoice: true);
        _supervisor = await _db.CreateUserAsync("sasha", Roles.Supervisor, csiVoice: true);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private DeclineReasonService Service => _db.Services.GetRequiredService<DeclineReasonService>();

    private async Task<List<string>> OfferedToAsync(UserScope user) => [.. (await Service.ListActiveAsync(user)).Select(r => r.Name)];

    private async Task<int> IdOfAsync(string name)
    {
        await using var db = _db.NewDbContext();
        return await db.DeclineReasons.Where(r => r.Name == name).Select(r => r.Id).SingleAsync();
    }

    /// <summary>A declined call by <paramref name="agent"/> giving <paramref name="reasonId"/>, on a new record.</summary>
    private async Task DeclineAsync(UserScope agent, int reasonId)
    {
        var dealership = await _db.AddDealershipAsync();
        var record = await _db.AddAwaitingRecordAsync(dealership.Id, phones: "+447700900123");
        await _db.Calling.RecordAttemptAsync(agent, new RecordAttemptCommand(record.Id,
            await _db.OutcomeIdAsync(DatabaseInitializer.DeclinedOutcome), null, _db.Now, null, DeclineReasonId: reasonId));
    }

    private async Task<DeclinedReport> ReportAsync() =>
        await _db.Services.GetRequiredService<ReportsService>().DeclinedAsync(_supervisor with { DealershipId = null },
            ReportRange.LastDays(1, _db.Time.GetUtcNow()));

    [Fact]
    public async Task AddAsync_ByAgent_IsAProposalOfferedOnlyToThem()
    {
        var added = await Service.AddAsync(_nadia, "Moved abroad");

        Assert.True(added.IsProposal);
        Assert.Equal([.. Seeded, "Moved abroad"], await OfferedToAsync(_nadia));
        Assert.True((await Service.ListActiveAsync(_nadia))[^1].IsProposal);
        Assert.Equal(Seeded, await OfferedToAsync(_noah));
        Assert.Equal(Seeded, await OfferedToAsync(_admin));
        var row = (await Service.ListAllAsync(_admin))[0]; // proposals first, for the admin
        Assert.Equal(("Moved abroad", DeclineReasonStatus.Proposed, "agent.nadia (display)"), (row.Name, row.Status, row.CreatedBy));
        Assert.Equal("Moved abroad", Assert.Single(await _db.AuditAsync("declinereason.proposed")).Details);
    }

    [Fact]
    public async Task AddAsync_ByAdmin_IsApprovedForEveryone_AndApprovesAnExistingProposal()
    {
        var own = await Service.AddAsync(_admin, "Gone abroad");
        await Service.AddAsync(_nadia, "Moved house");
        var approved = await Service.AddAsync(_admin, "moved HOUSE");

        Assert.False(own.IsProposal);
        Assert.False(approved.IsProposal);
        Assert.Equal([.. Seeded, "Gone abroad", "Moved house"], await OfferedToAsync(_noah));
        Assert.Contains("proposed by agent.nadia (display)", Assert.Single(await _db.AuditAsync("declinereason.approved")).Details);
    }

    [Fact]
    public async Task AddAsync_AnotherAgentTypesAProposalsName_GetsThatProposalForTheirCall_ButItIsStillNotOfferedToThem()
    {
        var nadias = await Service.AddAsync(_nadia, "Moved abroad");

        var noahs = await Service.AddAsync(_noah, "MOVED ABROAD");
        await DeclineAsync(_noah, noahs.Id);

        Assert.Equal((nadias.Id, true), (noahs.Id, noahs.IsProposal));
        Assert.Equal(Seeded, await OfferedToAsync(_noah));
        Assert.Single(await _db.AuditAsync("declinereason.proposed"));
    }

    [Fact]
    public async Task ApproveAsync_Proposal_OfferedToEveryoneLastInOrder_Audited()
    {
        var id = (await Service.AddAsync(_nadia, "Moved abroad")).Id;

        var result = await Service.ApproveAsync(_admin, id);
        var again = await Service.ApproveAsync(_admin, id);

        Assert.Equal((CallingAdminOutcome.Done, CallingAdminOutcome.Unchanged), (result.Outcome, again.Outcome));
        Assert.Equal([.. Seeded, "Moved abroad"], await OfferedToAsync(_noah));
        Assert.False((await Service.ListActiveAsync(_nadia))[^1].IsProposal);
        Assert.Equal("Approved decline reason 'Moved abroad', proposed by agent.nadia (display).",
            Assert.Single(await _db.AuditAsync("declinereason.approved")).Details);
    }

    [Fact]
    public async Task ApproveAsync_WithANewName_RenamesThenApproves_PastCallsAndTheReportFollow()
    {
        var id = (await Service.AddAsync(_nadia, "moved abrod")).Id;
        await DeclineAsync(_nadia, id);
        Assert.Equal("moved abrod" + DeclinedReport.ProposedSuffix, Assert.Single((await ReportAsync()).ByReason).Name);

        var taken = await Service.ApproveAsync(_admin, id, "no time");
        var result = await Service.ApproveAsync(_admin, id, " Moved abroad ");

        Assert.Contains(("Name", "A decline reason called 'No time' already exists."), taken.Errors);
        Assert.Equal((CallingAdminOutcome.Done, "“moved abrod” approved as “Moved abroad”: every agent can choose it now."), (result.Outcome, result.Message));
        Assert.Contains("Moved abroad", await OfferedToAsync(_noah));
        var total = Assert.Single((await ReportAsync()).ByReason);
        Assert.Equal(("Moved abroad", 1), (total.Name, total.Count));
        Assert.Equal("Approved decline reason 'moved abrod' as 'Moved abroad', proposed by agent.nadia (display).",
            Assert.Single(await _db.AuditAsync("declinereason.approved")).Details);
    }

    [Fact]
    public async Task MergeAsync_ProposalIntoAReason_MovesItsCalls_ReportFollows_Audited_ItsNameLeadsThere()
    {
        var noTime = await IdOfAsync("No time");
        var proposal = (await Service.AddAsync(_nadia, "Too busy")).Id;
        await DeclineAsync(_nadia, proposal);
        await DeclineAsync(_nadia, proposal);
        await DeclineAsync(_noah, noTime);
        Assert.Equal([("Too busy" + DeclinedReport.ProposedSuffix, 2), ("No time", 1)], (await ReportAsync()).ByReason.Select(r => (r.Name, r.Count)));

        var result = await Service.MergeAsync(_admin, proposal, noTime);

        Assert.Equal((CallingAdminOutcome.Done, "“Too busy” merged into “No time”; 2 declined calls moved."), (result.Outcome, result.Message));
        Assert.Equal([("No time", 3)], (await ReportAsync()).ByReason.Select(r => (r.Name, r.Count)));
        Assert.Equal(Seeded, await OfferedToAsync(_nadia));
        Assert.DoesNotContain(await Service.ListAllAsync(_admin), r => r.Name == "Too busy");
        Assert.Equal(3, (await Service.ListAllAsync(_admin)).Single(r => r.Id == noTime).Uses);
        Assert.Equal("Merged proposed decline reason 'Too busy' (proposed by agent.nadia (display)) into 'No time': 2 declined calls moved.",
            Assert.Single(await _db.AuditAsync("declinereason.merged")).Details);
        // Typing the merged name again leads to the reason it was merged into; an admin cannot create it anew.
        var typed = await Service.AddAsync(_noah, "too busy");
        Assert.Equal((noTime, "No time", false), (typed.Id, typed.Name, typed.IsProposal));
        Assert.Contains(("Name", "A decline reason called 'Too busy' already exists (a proposal merged into another reason)."),
            (await Service.CreateAsync(_admin, "Too busy")).Errors);
    }

    [Fact]
    public async Task MergeAsync_ApprovedSourceOrUnsuitableTarget_RefusedAndNothingMoves()
    {
        var noTime = await IdOfAsync("No time");
        var unhappy = await IdOfAsync("Unhappy with the vehicle");
        var proposal = (await Service.AddAsync(_nadia, "Too busy")).Id;
        var other = (await Service.AddAsync(_noah, "Busy")).Id;
        await DeclineAsync(_nadia, proposal);
        await Service.SetActiveAsync(_admin, unhappy, false);

        var approvedSource = await Service.MergeAsync(_admin, noTime, unhappy);
        var intoInactive = await Service.MergeAsync(_admin, proposal, unhappy);
        var intoProposal = await Service.MergeAsync(_admin, proposal, other);
        var intoItself = await Service.MergeAsync(_admin, proposal, proposal);

        Assert.Equal(CallingAdminOutcome.Refused, approvedSource.Outcome);
        Assert.All(new[] { intoInactive, intoProposal, intoItself }, r => Assert.Equal(CallingAdminOutcome.Invalid, r.Outcome));
        Assert.Equal("Too busy" + DeclinedReport.ProposedSuffix, Assert.Single((await ReportAsync()).ByReason).Name);
        Assert.Empty(await _db.AuditAsync("declinereason.merged"));
    }

    [Fact]
    public async Task ApproveAndMerge_NotAnEnabledAdmin_Forbidden()
    {
        var proposal = (await Service.AddAsync(_nadia, "Too busy")).Id;
        var noTime = await IdOfAsync("No time");

        foreach (var user in new[] { _nadia, _supervisor })
        {
            Assert.Equal(CallingAdminOutcome.Forbidden, (await Service.ApproveAsync(user, proposal)).Outcome);
            Assert.Equal(CallingAdminOutcome.Forbidden, (await Service.MergeAsync(user, proposal, noTime)).Outcome);
        }
        Assert.Equal(Seeded, await OfferedToAsync(_noah));
    }

    [Fact]
    public async Task MoveAsync_WithProposalsAround_MovesAmongApprovedReasonsOnly()
    {
        await Service.AddAsync(_nadia, "Too busy");

        var result = await Service.MoveAsync(_admin, await IdOfAsync(Seeded[^1]), +1);
        await Service.MoveAsync(_admin, await IdOfAsync(Seeded[^1]), -1);

        Assert.Equal(CallingAdminOutcome.Unchanged, result.Outcome); // last approved: the proposal after it does not count
        Assert.Equal([.. Seeded.Take(Seeded.Count - 2), Seeded[^1], Seeded[^2], "Too busy"], await OfferedToAsync(_nadia));
    }

    [Fact]
    public async Task AddAsync_AgentProposalRetiredByAnAdmin_RefusedLikeAnyRetiredReason()
    {
        var proposal = (await Service.AddAsync(_nadia, "Too busy")).Id;
        await Service.SetActiveAsync(_admin, proposal, false);

        var ex = await Assert.ThrowsAsync<DomainException>(() => Service.AddAsync(_nadia, "Too busy"));

        Assert.Contains("retired by an admin", ex.Message);
        Assert.Equal(Seeded, await OfferedToAsync(_nadia));
    }
}
