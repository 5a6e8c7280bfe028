using KonnectLive.Core.Cases;
using KonnectLive.Core.Common;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Cases;

/// <summary>The case title template: every placeholder rendered, unknown ones refused with a clear message, settings audited.</summary>
public sealed class CaseTitleTemplateTests
{
    private static readonly CaseTitleValues Values = new("Inbound call", "c-42", "07700 900123", "cy",
        new DateTime(2026, 7, 1, 9, 30, 0, DateTimeKind.Utc), "Alice Archer", "Northgate Motors");

    [Theory]
    [InlineData("{CALL_TYPE}", "Inbound call")]
    [InlineData("Call {CALL_ID}", "Call c-42")]
    [InlineData("{PHONE_NUMBER}", "07700 900123")]
    [InlineData("[{LANGUAGE}]", "[cy]")]
    [InlineData("{TIMESTAMP}", "2026-07-01 10:30")] // contact-centre time (BST)
    [InlineData("{CUSTOMER_NAME} at {DEALERSHIP_NAME}", "Alice Archer at Northgate Motors")]
    [InlineData("No placeholders", "No placeholders")]
    public void Render_EachPlaceholder_IsReplaced(string template, string expected) =>
        Assert.Equal(expected, CaseTitleTemplate.Render(template, Values));

    [Fact]
    public void Render_NoCustomerOrNumber_SaysSo() =>
        Assert.Equal("Unknown caller, unknown number", CaseTitleTemplate.Render("{CUSTOMER_NAME}, {PHONE_NUMBER}", Values with { CustomerName = null, PhoneNumber = null }));

    [Theory]
    [InlineData("{CALL_TYPE} {CALLER}", "Unknown placeholder {CALLER}.")]
    [InlineData("{call_type} {X}", "Unknown placeholders {call_type}, {X}.")]
    [InlineData("{CALL_TYPE", "A brace is not closed")]
    [InlineData("", "Enter a title template")]
    public void Validator_BadTemplate_ClearError(string template, string expected)
    {
        var result = new CaseRecordSettingsInputValidator().Validate(new CaseRecordSettingsInput { TitleTemplate = template });
        Assert.Contains(result.Errors, e => e.PropertyName == nameof(CaseRecordSettingsInput.TitleTemplate) && e.ErrorMessage.Contains(expected));
    }

    [Fact]
    public void Preview_GoodTemplate_RendersTheSampleCall() =>
        Assert.Equal(("Inbound call from 07700 900123 (Alice Archer)", (string?)null), CaseRecordSettingsService.Preview(CaseRecordSettings.DefaultTitleTemplate));

    [Fact]
    public async Task UpdateAsync_ValidChange_SavedAndAudited_InvalidOrNotAdmin_NothingSaved()
    {
        await using var database = await CoreTestDatabase.CreateAsync();
        var service = database.Services.GetRequiredService<CaseRecordSettingsService>();
        var admin = new UserScope("admin-id", "Ada Admin", null, true, [Roles.Admin]);

        var bad = await service.UpdateAsync(admin, new CaseRecordSettingsInput { TitleTemplate = "{NOPE}" });
        Assert.Equal(CommandOutcome.Invalid, bad.Outcome);
        Assert.Contains("Unknown placeholder {NOPE}", bad.Message);
        Assert.Equal(CommandOutcome.Forbidden, (await service.UpdateAsync(CoreTestDatabase.Agent("Nadia", null), new CaseRecordSettingsInput())).Outcome);

        var good = await service.UpdateAsync(admin, new CaseRecordSettingsInput
        {
            AppendToRecentlyClosed = true, ClosedWithinDays = 5, AbandonedCalls = AbandonedCallCases.MinimumSeconds, AbandonedMinimumSeconds = 20,
            TitleTemplate = "{CALL_TYPE} {CALL_ID}",
        });
        Assert.Equal(CommandOutcome.Done, good.Outcome);
        var saved = await service.GetAsync();
        Assert.Equal((true, 5, AbandonedCallCases.MinimumSeconds, 20, "{CALL_TYPE} {CALL_ID}", "Ada Admin"),
            (saved.AppendToRecentlyClosed, saved.ClosedWithinDays, saved.AbandonedCalls, saved.AbandonedMinimumSeconds, saved.TitleTemplate, saved.UpdatedBy));
        await using var db = database.NewDbContext();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == CaseRecordSettingsService.AuditAction);
        Assert.Contains("add to recently closed case off → on", audit.Details);
        Assert.Contains("title template", audit.Details);
        Assert.Equal(CommandOutcome.Unchanged, (await service.UpdateAsync(admin, CaseRecordSettingsInput.From(saved))).Outcome);
    }
}
