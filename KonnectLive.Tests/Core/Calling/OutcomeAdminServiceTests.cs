using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Users;
using KonnectLive.Tests.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Calling;

public class OutcomeAdminServiceTests : IAsyncLifetime
{
    /// <summary>The provider these tests run on; <see cref="OutcomeAdminServiceTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    private CoreTestDatabase _db = null!;
    private UserScope _admin = null!;

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync(provider: Provider);
        _admin = await _db.CreateUserAsync("ada", Roles.Admin);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private OutcomeAdminService Service => _db.Services.GetRequiredService<OutcomeAdminService>();

    private async Task<int> TemplateIdAsync(string name)
    {
        await using var db = _db.NewDbContext();
        return await db.MessageTemplates.Where(t => t.Name == name).Select(t => t.Id).SingleAsync();
    }

    private async Task<CallOutcome> OutcomeAsync(int id)
    {
        await using var db = _db.NewDbContext();
        return await db.CallOutcomes.AsNoTracking().SingleAsync(o => o.Id == id);
    }

    private static OutcomeInput Input(string name = "Busy", OutcomeBehaviour behaviour = OutcomeBehaviour.KeepOnList) =>
        new() { Name = name, Colour = "Secondary", Category = OutcomeCategory.NotReached, Behaviour = behaviour };

    [Fact]
    public async Task ListAsync_Seeded_ListsEveryOutcomeInOrderWithUsesAndTemplateNames()
    {
        var dealership = await _db.AddDealershipAsync();
        var record = await _db.AddAwaitingRecordAsync(dealership.Id, phones: "+447700900123");
        var noAnswer = await _db.OutcomeIdAsync(DatabaseInitializer.NoAnswerOutcome);
        await using (var db = _db.NewDbContext())
        {
            for (var i = 0; i < 2; i++)
                db.CallAttempts.Add(new CallAttempt
                {
                    SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = dealership.Id, AgentId = "a", AgentName = "Agent",
                    OutcomeId = noAnswer, StartedAt = _db.Now, RecordedAt = _db.Now,
                });
            await db.SaveChangesAsync();
        }

        var rows = await Service.ListAsync(_admin);

        Assert.Equal([DatabaseInitializer.WillCompleteOutcome, DatabaseInitializer.DeclinedOutcome, DatabaseInitializer.NoAnswerOutcome,
            DatabaseInitializer.VoicemailOutcome, DatabaseInitializer.WrongNumberOutcome, DatabaseInitializer.CallBackLaterOutcome], rows.Select(r => r.Name));
        Assert.Equal(2, rows.Single(r => r.Name == DatabaseInitializer.NoAnswerOutcome).Uses);
        var wrong = rows.Single(r => r.Name == DatabaseInitializer.WrongNumberOutcome);
        Assert.Equal((DatabaseInitializer.AwaitingTemplateName, DatabaseInitializer.EmailReminderTemplateName), (wrong.NextSmsTemplateName, wrong.NextEmailTemplateName));
        Assert.False(wrong.NextTemplateInactive);
    }

    [Fact]
    public async Task CreateAsync_Valid_AddsItLastAndActiveAndAudits()
    {
        var result = await Service.CreateAsync(_admin, new OutcomeInput
        {
            Name = "  Spoke – call back tomorrow ", Colour = "primary", Category = OutcomeCategory.Contacted,
            Behaviour = OutcomeBehaviour.CallBackLater, CallbackReserveMinutes = 30, RequiresNote = true,
        });

        Assert.Equal(CallingAdminOutcome.Done, result.Outcome);
        var last = (await Service.ListAsync(_admin))[^1];
        Assert.Equal(("Spoke – call back tomorrow", "Primary", true, 30, true), (last.Name, last.Colour, last.IsActive, last.CallbackReserveMinutes, last.RequiresNote));
        var audit = Assert.Single(await _db.AuditAsync(OutcomeAdminService.CreatedAction));
        Assert.Equal(_admin.UserId, audit.UserId);
        Assert.Equal(result.Id.ToString(), audit.EntityId);
        Assert.Equal("Created outcome 'Spoke – call back tomorrow' (Primary, Contacted, Call back later, reserved for the same agent for 30 min, requires a note).",
            audit.Details);
    }

    [Theory]
    [InlineData("", "Give the outcome a name.")]
    [InlineData("   ", "Give the outcome a name.")]
    [InlineData("no ANSWER", "An outcome called 'no ANSWER' already exists.")]
    public async Task CreateAsync_BlankOrTakenName_IsInvalidWithAClearMessage(string name, string message)
    {
        var result = await Service.CreateAsync(_admin, Input(name));

        Assert.Equal(CallingAdminOutcome.Invalid, result.Outcome);
        Assert.Contains((nameof(OutcomeInput.Name), message), result.Errors);
        Assert.Equal(6, (await Service.ListAsync(_admin)).Count);
        Assert.Empty(await _db.AuditAsync(OutcomeAdminService.CreatedAction));
    }

    [Fact]
    public async Task CreateAsync_NameOf81Characters_IsInvalid_80IsFine()
    {
        var tooLong = await Service.CreateAsync(_admin, Input(new string('x', 81)));
        var justRight = await Service.CreateAsync(_admin, Input(new string('x', 80)));

        Assert.Contains((nameof(OutcomeInput.Name), "An outcome name can be at most 80 characters."), tooLong.Errors);
        Assert.Equal(CallingAdminOutcome.Done, justRight.Outcome);
    }

    [Theory]
    [InlineData("Purple")]
    [InlineData("Tertiary")] // a MudBlazor colour, but not one the calling page offers
    [InlineData("")]
    public async Task CreateAsync_UnknownColour_IsInvalid(string colour)
    {
        var input = Input();
        input.Colour = colour;

        var result = await Service.CreateAsync(_admin, input);

        Assert.Contains(result.Errors, e => e.Property == nameof(OutcomeInput.Colour)
            && e.Error == "Choose one of the colours: Default, Primary, Secondary, Info, Success, Warning, Error, Dark.");
    }

    [Fact]
    public async Task CreateAsync_UndefinedCategoryOrBehaviour_IsInvalid()
    {
        var input = Input();
        input.Category = (OutcomeCategory)42;
        input.Behaviour = (OutcomeBehaviour)42;

        var result = await Service.CreateAsync(_admin, input);

        Assert.Contains((nameof(OutcomeInput.Category), "Choose a category."), result.Errors);
        Assert.Contains((nameof(OutcomeInput.Behaviour), "Choose what the outcome does."), result.Errors);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(1441, false)]
    [InlineData(0, true)]
    [InlineData(1440, true)]
    public async Task CreateAsync_CallBackReserveMinutes_MustBeWithinADay(int minutes, bool valid)
    {
        var input = Input(behaviour: OutcomeBehaviour.CallBackLater);
        input.CallbackReserveMinutes = minutes;

        var result = await Service.CreateAsync(_admin, input);

        Assert.Equal(valid, result.Succeeded);
        if (!valid) Assert.Contains(result.Errors, e => e.Property == nameof(OutcomeInput.CallbackReserveMinutes) && e.Error.Contains("between 0 and 1,440 minutes"));
    }

    [Fact]
    public async Task CreateAsync_CallBackLaterWithoutReserveMinutes_RefusedAsRequiredAndNothingSaved()
    {
        var input = Input(behaviour: OutcomeBehaviour.CallBackLater);
        input.CallbackReserveMinutes = null; // the admin cleared the field: not a silent 0

        var result = await Service.CreateAsync(_admin, input);

        Assert.False(result.Succeeded);
        Assert.Equal([(nameof(OutcomeInput.CallbackReserveMinutes), OutcomeInputValidator.ReserveMinutesRequired)], result.Errors);
        await using var db = _db.NewDbContext();
        Assert.False(await db.CallOutcomes.AnyAsync(o => o.Name == input.Name));
    }

    [Fact]
    public async Task CreateAsync_OtherBehaviourWithoutReserveMinutes_SavedAsNotReserved()
    {
        var input = Input(behaviour: OutcomeBehaviour.KeepOnList);
        input.CallbackReserveMinutes = null; // the field is not shown for this behaviour

        var result = await Service.CreateAsync(_admin, input);

        Assert.Equal(CallingAdminOutcome.Done, result.Outcome);
        Assert.Equal(0, (await OutcomeAsync(result.Id!.Value)).CallbackReserveMinutes);
    }

    [Fact]
    public async Task CreateAsync_SettingsTheBehaviourDoesNotUse_AreSavedEmpty()
    {
        var input = Input(behaviour: OutcomeBehaviour.KeepOnList);
        input.CallbackReserveMinutes = 5000; // not validated either: it means nothing here
        input.NextSmsTemplateId = await TemplateIdAsync(DatabaseInitializer.PendingTemplateName); // an email template, also ignored

        var result = await Service.CreateAsync(_admin, input);

        Assert.Equal(CallingAdminOutcome.Done, result.Outcome);
        var saved = await OutcomeAsync(result.Id!.Value);
        Assert.Equal((0, (int?)null, (int?)null), (saved.CallbackReserveMinutes, saved.NextSmsTemplateId, saved.NextEmailTemplateId));
    }

    [Fact]
    public async Task CreateAsync_WrongNumberWithTemplatesOfTheWrongChannel_IsInvalid()
    {
        var input = Input("Number unobtainable", OutcomeBehaviour.WrongNumber);
        input.NextSmsTemplateId = await TemplateIdAsync(DatabaseInitializer.EmailReminderTemplateName);
        input.NextEmailTemplateId = await TemplateIdAsync(DatabaseInitializer.AwaitingTemplateName);

        var result = await Service.CreateAsync(_admin, input);

        Assert.Contains((nameof(OutcomeInput.NextSmsTemplateId), "The next SMS must be an active SMS template."), result.Errors);
        Assert.Contains((nameof(OutcomeInput.NextEmailTemplateId), "The next email must be an active email template."), result.Errors);
    }

    [Fact]
    public async Task CreateAsync_WrongNumberWithAnInactiveTemplate_IsInvalid_ActiveOnesAreSaved()
    {
        var sms = await TemplateIdAsync(DatabaseInitializer.AwaitingTemplateName);
        var email = await TemplateIdAsync(DatabaseInitializer.EmailReminderTemplateName);
        await _db.Services.GetRequiredService<MessageTemplateService>().SetActiveAsync(_admin, sms, false);
        var input = Input("Number unobtainable", OutcomeBehaviour.WrongNumber);
        input.NextSmsTemplateId = sms;
        input.NextEmailTemplateId = email;

        var refused = await Service.CreateAsync(_admin, input);
        await _db.Services.GetRequiredService<MessageTemplateService>().SetActiveAsync(_admin, sms, true);
        var saved = await Service.CreateAsync(_admin, input);

        Assert.Contains((nameof(OutcomeInput.NextSmsTemplateId), "The next SMS must be an active SMS template."), refused.Errors);
        Assert.Equal(CallingAdminOutcome.Done, saved.Outcome);
        var outcome = await OutcomeAsync(saved.Id!.Value);
        Assert.Equal((sms, email), (outcome.NextSmsTemplateId!.Value, outcome.NextEmailTemplateId!.Value));
    }

    [Fact]
    public async Task UpdateAsync_ChangedFields_SavesAndAuditsWhatChanged()
    {
        var voicemail = await _db.OutcomeIdAsync(DatabaseInitializer.VoicemailOutcome);
        var row = (await Service.ListAsync(_admin)).Single(r => r.Id == voicemail);
        var input = OutcomeInput.From(row);
        input.Name = "Left a voicemail";
        input.Colour = "Dark";
        input.RequiresNote = true;
        input.Behaviour = OutcomeBehaviour.CallBackLater;
        input.CallbackReserveMinutes = 15;

        var result = await Service.UpdateAsync(_admin, input);

        Assert.Equal(CallingAdminOutcome.Done, result.Outcome);
        var saved = await OutcomeAsync(voicemail);
        Assert.Equal(("Left a voicemail", "Dark", true, OutcomeBehaviour.CallBackLater, 15),
            (saved.Name, saved.Colour, saved.RequiresNote, saved.Behaviour, saved.CallbackReserveMinutes));
        var audit = Assert.Single(await _db.AuditAsync(OutcomeAdminService.UpdatedAction));
        Assert.Equal("Updated outcome 'Left a voicemail': name: 'Voicemail' → 'Left a voicemail'; colour: Info → Dark; " +
                     "what it does: Keep on the chase list → Call back later; requires a note: no → yes; call-back reserved for: 0 min → 15 min.", audit.Details);
    }

    [Fact]
    public async Task UpdateAsync_WrongNumberToKeepOnList_DropsItsTemplatesAndSaysSo()
    {
        var wrong = (await Service.ListAsync(_admin)).Single(r => r.Name == DatabaseInitializer.WrongNumberOutcome);
        var input = OutcomeInput.From(wrong);
        input.Behaviour = OutcomeBehaviour.KeepOnList;

        await Service.UpdateAsync(_admin, input);

        var saved = await OutcomeAsync(wrong.Id);
        Assert.Null(saved.NextSmsTemplateId);
        Assert.Null(saved.NextEmailTemplateId);
        var audit = Assert.Single(await _db.AuditAsync(OutcomeAdminService.UpdatedAction));
        Assert.Contains($"next SMS: '{DatabaseInitializer.AwaitingTemplateName}' → none", audit.Details);
        Assert.Contains($"next email: '{DatabaseInitializer.EmailReminderTemplateName}' → none", audit.Details);
    }

    [Fact]
    public async Task UpdateAsync_NoChangesOrOnlyItsOwnNameInAnotherCase_BehaveSensibly()
    {
        var noAnswer = (await Service.ListAsync(_admin)).Single(r => r.Name == DatabaseInitializer.NoAnswerOutcome);

        var unchanged = await Service.UpdateAsync(_admin, OutcomeInput.From(noAnswer));
        var recased = OutcomeInput.From(noAnswer);
        recased.Name = "NO ANSWER";
        var renamed = await Service.UpdateAsync(_admin, recased);

        Assert.Equal(CallingAdminOutcome.Unchanged, unchanged.Outcome);
        Assert.Equal(CallingAdminOutcome.Done, renamed.Outcome); // its own name is not a duplicate
        Assert.Single(await _db.AuditAsync(OutcomeAdminService.UpdatedAction));
    }

    [Fact]
    public async Task UpdateAsync_UnknownId_IsNotFound()
    {
        var input = Input();
        input.Id = 9999;

        var result = await Service.UpdateAsync(_admin, input);

        Assert.Equal(CallingAdminOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task SetActiveAsync_DeactivateThenActivate_HidesItFromAgentsAndAuditsBoth()
    {
        var voicemail = await _db.OutcomeIdAsync(DatabaseInitializer.VoicemailOutcome);

        var off = await Service.SetActiveAsync(_admin, voicemail, false);
        Assert.False((await OutcomeAsync(voicemail)).IsActive);
        var again = await Service.SetActiveAsync(_admin, voicemail, false);
        var on = await Service.SetActiveAsync(_admin, voicemail, true);

        Assert.Equal((CallingAdminOutcome.Done, CallingAdminOutcome.Unchanged, CallingAdminOutcome.Done), (off.Outcome, again.Outcome, on.Outcome));
        Assert.True((await OutcomeAsync(voicemail)).IsActive);
        Assert.Equal("Deactivated outcome 'Voicemail'.", Assert.Single(await _db.AuditAsync(OutcomeAdminService.DeactivatedAction)).Details);
        Assert.Equal("Activated outcome 'Voicemail'.", Assert.Single(await _db.AuditAsync(OutcomeAdminService.ActivatedAction)).Details);
    }

    [Fact]
    public async Task SetActiveAsync_TheLastActiveOutcome_IsRefused()
    {
        var rows = await Service.ListAsync(_admin);
        foreach (var row in rows.Skip(1)) Assert.Equal(CallingAdminOutcome.Done, (await Service.SetActiveAsync(_admin, row.Id, false)).Outcome);

        var result = await Service.SetActiveAsync(_admin, rows[0].Id, false);

        Assert.Equal(CallingAdminOutcome.Refused, result.Outcome);
        Assert.Contains("at least one must stay active", result.Message);
        Assert.True((await OutcomeAsync(rows[0].Id)).IsActive);
        Assert.Equal(5, (await _db.AuditAsync(OutcomeAdminService.DeactivatedAction)).Count);
    }

    [Fact]
    public async Task SetActiveAsync_TwoAdminsDeactivateTheLastTwoAtOnce_OneStaysActive()
    {
        var rows = await Service.ListAsync(_admin);
        foreach (var row in rows.Skip(2)) Assert.Equal(CallingAdminOutcome.Done, (await Service.SetActiveAsync(_admin, row.Id, false)).Outcome);

        for (var round = 0; round < 10; round++)
        {
            using var start = new ManualResetEventSlim();
            var both = new[] { rows[0].Id, rows[1].Id }
                .Select(id => Task.Run(async () => { start.Wait(); return await Service.SetActiveAsync(_admin, id, false); }))
                .ToArray();
            start.Set();
            var results = await Task.WhenAll(both);

            Assert.Equal(1, results.Count(r => r.Outcome == CallingAdminOutcome.Done));
            Assert.Equal(1, results.Count(r => r.Outcome == CallingAdminOutcome.Refused));
            Assert.Equal(1, (await Service.ListAsync(_admin)).Count(r => r.IsActive && (r.Id == rows[0].Id || r.Id == rows[1].Id)));
            var off = results[0].Outcome == CallingAdminOutcome.Done ? rows[0].Id : rows[1].Id;
            Assert.Equal(CallingAdminOutcome.Done, (await Service.SetActiveAsync(_admin, off, true)).Outcome);
        }
    }

    [Fact]
    public async Task MoveAsync_Up_SwapsWithTheOneAboveAndAudits_FirstCannotGoHigher()
    {
        var voicemail = await _db.OutcomeIdAsync(DatabaseInitializer.VoicemailOutcome);

        var moved = await Service.MoveAsync(_admin, voicemail, -1);
        var first = await Service.MoveAsync(_admin, (await Service.ListAsync(_admin))[0].Id, -1);

        Assert.Equal((CallingAdminOutcome.Done, CallingAdminOutcome.Unchanged), (moved.Outcome, first.Outcome));
        var names = (await Service.ListAsync(_admin)).Select(r => r.Name).ToList();
        Assert.Equal(DatabaseInitializer.VoicemailOutcome, names[2]);
        Assert.Equal(DatabaseInitializer.NoAnswerOutcome, names[3]);
        var audit = Assert.Single(await _db.AuditAsync(OutcomeAdminService.ReorderedAction));
        Assert.Equal("Moved outcome 'Voicemail' up to position 3, above 'No answer'.", audit.Details);
    }

    public static TheoryData<string> NotAdmins => new() { "agent", "supervisor", "disabled-admin" };

    [Theory]
    [MemberData(nameof(NotAdmins))]
    public async Task EveryMethod_NotAnEnabledAdmin_IsRefusedAndChangesNothing(string who)
    {
        var user = await NotAdminAsync(_db, who);
        var voicemail = await _db.OutcomeIdAsync(DatabaseInitializer.VoicemailOutcome);
        var edit = Input("Renamed");
        edit.Id = voicemail;

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.ListAsync(user));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.ListTemplateChoicesAsync(user));
        var results = new[]
        {
            await Service.CreateAsync(user, Input()),
            await Service.UpdateAsync(user, edit),
            await Service.SetActiveAsync(user, voicemail, false),
            await Service.MoveAsync(user, voicemail, -1),
        };

        Assert.All(results, r => Assert.Equal((CallingAdminOutcome.Forbidden, OutcomeAdminService.AdminOnly), (r.Outcome, r.Message)));
        var saved = await OutcomeAsync(voicemail);
        Assert.Equal((DatabaseInitializer.VoicemailOutcome, true, 40), (saved.Name, saved.IsActive, saved.SortOrder));
        Assert.DoesNotContain(await _db.AuditAsync(), a => a.Action.StartsWith("outcome."));
    }

    /// <summary>An agent, a supervisor, or an admin disabled since their page loaded (their scope still says Admin).</summary>
    internal static async Task<UserScope> NotAdminAsync(CoreTestDatabase db, string who)
    {
        switch (who)
        {
            case "agent": return await db.CreateUserAsync("agent.one", Roles.Agent, csiVoice: true);
            case "supervisor": return await db.CreateUserAsync("sue.supervisor", Roles.Supervisor);
            default:
                var admin = await db.CreateUserAsync("former.admin", Roles.Admin);
                await using (var context = db.NewDbContext())
                {
                    await context.Users.Where(u => u.Id == admin.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, DateTimeOffset.MaxValue));
                }
                return admin;
        }
    }
}

public sealed class OutcomeAdminServiceTestsOnPostgreSql : OutcomeAdminServiceTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSql;
}
