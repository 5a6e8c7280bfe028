using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Settings;

public sealed class CsiSettingsInputValidatorTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private CsiSettingsInputValidator Validator => _db.Services.GetRequiredService<CsiSettingsInputValidator>();

    public async Task InitializeAsync() => _db = await CoreTestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static CsiSettingsInput Valid() => new()
    {
        AwaitingTemplateId = null, AwaitingDelayMinutes = 60, FocusMatchCutOffDays = 90,
        PendingTemplateId = null, PendingDelayMinutes = 0, PositiveResponseThreshold = 9,
    };

    private async Task<List<(string Property, string Message)>> ErrorsAsync(CsiSettingsInput input) =>
        (await Validator.ValidateAsync(input)).Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList();

    [Fact]
    public async Task Validate_DefaultsAndBoundaries_AreValid()
    {
        Assert.Empty(await ErrorsAsync(Valid()));
        Assert.Empty(await ErrorsAsync(new CsiSettingsInput
        {
            AwaitingDelayMinutes = 0, PendingDelayMinutes = 43_200, FocusMatchCutOffDays = 1, PositiveResponseThreshold = 0,
        }));
        Assert.Empty(await ErrorsAsync(new CsiSettingsInput
        {
            AwaitingDelayMinutes = 43_200, PendingDelayMinutes = 0, FocusMatchCutOffDays = 3_650, PositiveResponseThreshold = 10,
        }));
    }

    [Theory]
    [InlineData(nameof(CsiSettingsInput.AwaitingDelayMinutes), -1, "CSI Awaiting State Message Delay must be between 0 and 43,200 minutes (30 days).")]
    [InlineData(nameof(CsiSettingsInput.AwaitingDelayMinutes), 43_201, "CSI Awaiting State Message Delay must be between 0 and 43,200 minutes (30 days).")]
    [InlineData(nameof(CsiSettingsInput.PendingDelayMinutes), -5, "CSI Pending State Message Delay must be between 0 and 43,200 minutes (30 days).")]
    [InlineData(nameof(CsiSettingsInput.PendingDelayMinutes), 100_000, "CSI Pending State Message Delay must be between 0 and 43,200 minutes (30 days).")]
    [InlineData(nameof(CsiSettingsInput.FocusMatchCutOffDays), 0, "CSI Focus Match Cut Off Days must be between 1 and 3,650 days.")]
    [InlineData(nameof(CsiSettingsInput.FocusMatchCutOffDays), 3_651, "CSI Focus Match Cut Off Days must be between 1 and 3,650 days.")]
    [InlineData(nameof(CsiSettingsInput.PositiveResponseThreshold), -1, "CSI Positive Response Threshold must be a score between 0 and 10.")]
    [InlineData(nameof(CsiSettingsInput.PositiveResponseThreshold), 11, "CSI Positive Response Threshold must be a score between 0 and 10.")]
    public async Task Validate_OutOfRangeValue_RejectsThatPropertyWithClearMessage(string property, int value, string message)
    {
        var input = Valid();
        typeof(CsiSettingsInput).GetProperty(property)!.SetValue(input, value);

        var errors = await ErrorsAsync(input);

        Assert.Equal([(property, message)], errors);
    }

    [Theory]
    [InlineData(nameof(CsiSettingsInput.AwaitingDelayMinutes), "CSI Awaiting State Message Delay is required.")]
    [InlineData(nameof(CsiSettingsInput.PendingDelayMinutes), "CSI Pending State Message Delay is required.")]
    [InlineData(nameof(CsiSettingsInput.FocusMatchCutOffDays), "CSI Focus Match Cut Off Days is required.")]
    [InlineData(nameof(CsiSettingsInput.PositiveResponseThreshold), "CSI Positive Response Threshold is required.")]
    public async Task Validate_MissingNumber_RejectsThatPropertyAsRequiredOnly(string property, string message)
    {
        var input = Valid();
        typeof(CsiSettingsInput).GetProperty(property)!.SetValue(input, null);

        Assert.Equal([(property, message)], await ErrorsAsync(input));
        Assert.Equal([message], await Validator.ValidateValue(input, property)); // what the form shows under the field
    }

    [Fact]
    public async Task Validate_UnknownTemplate_RejectsWithMessage()
    {
        var input = Valid();
        input.AwaitingTemplateId = 9_999;

        var errors = await ErrorsAsync(input);

        Assert.Equal([(nameof(CsiSettingsInput.AwaitingTemplateId),
            "CSI Awaiting State Message Contact Template: template #9999 does not exist. Choose another template or \"No message\".")], errors);
    }

    [Fact]
    public async Task Validate_InactiveTemplate_RejectsWithItsName()
    {
        var id = await AddTemplateAsync("Old reminder", MessageChannel.Sms, isActive: false);
        var input = Valid();
        input.PendingTemplateId = id;

        var errors = await ErrorsAsync(input);

        Assert.Equal([(nameof(CsiSettingsInput.PendingTemplateId),
            "CSI Pending State Message Contact Template: the template \"Old reminder\" is inactive. Choose an active template or \"No message\".")], errors);
    }

    [Fact]
    public async Task Validate_ActiveTemplatesOfEitherChannel_AreValid()
    {
        var sms = await AddTemplateAsync("Reminder", MessageChannel.Sms);
        var email = await AddTemplateAsync("Thanks", MessageChannel.Email);
        var input = Valid();
        input.AwaitingTemplateId = email;
        input.PendingTemplateId = sms;

        Assert.Empty(await ErrorsAsync(input));
    }

    [Fact]
    public async Task ValidateValue_OneProperty_ReturnsOnlyThatPropertysErrors()
    {
        var input = Valid();
        input.PositiveResponseThreshold = 42;
        input.AwaitingDelayMinutes = -1;

        var thresholdErrors = await Validator.ValidateValue(input, nameof(CsiSettingsInput.PositiveResponseThreshold));
        var cutOffErrors = await Validator.ValidateValue(input, nameof(CsiSettingsInput.FocusMatchCutOffDays));

        Assert.Equal(["CSI Positive Response Threshold must be a score between 0 and 10."], thresholdErrors);
        Assert.Empty(cutOffErrors);
    }

    [Theory]
    [InlineData(0, "straight away")]
    [InlineData(45, "45 min")]
    [InlineData(90, "1 h 30 min")]
    [InlineData(1_440, "1 day")]
    [InlineData(43_200, "30 days")]
    [InlineData(3_065, "2 days 3 h 5 min")]
    public void DescribeDelay_Minutes_ReadsAsDaysHoursMinutes(int minutes, string expected) =>
        Assert.Equal(expected, CsiSettingDefinitions.DescribeDelay(minutes));

    private async Task<int> AddTemplateAsync(string name, MessageChannel channel, bool isActive = true)
    {
        await using var db = _db.NewDbContext();
        var template = new MessageTemplate { Name = name, Channel = channel, Body = "Hello {CustomerFirstName}", IsActive = isActive, UpdatedAt = _db.Now };
        db.MessageTemplates.Add(template);
        await db.SaveChangesAsync();
        return template.Id;
    }
}
