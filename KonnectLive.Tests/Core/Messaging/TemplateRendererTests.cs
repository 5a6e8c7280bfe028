using KonnectLive.Core.Messaging;

namespace KonnectLive.Tests.Core.Messaging;

public sealed class TemplateRendererTests
{
    private static readonly TemplateData Jane = new("Mrs", "Jane", "Smith", "Leeds Motors", "Ford Puma", "AB12 CDE", "FOC 123/9",
        new DateTime(2025, 6, 2, 10, 0, 0, DateTimeKind.Utc));

    [Fact]
    public void Render_EveryPlaceholder_FilledFromTheRecord()
    {
        var text = "{CustomerName}|{CustomerFirstName}|{CustomerLastName}|{CustomerTitle}|{DealershipName}|{VehicleDescription}|{Registration}|{SurveyLink}|{EventDate}";

        var rendered = TemplateRenderer.Render(MessageChannel.Sms, null, text, Jane, "https://survey.example.com/r/");

        Assert.Equal("Mrs Jane Smith|Jane|Smith|Mrs|Leeds Motors|Ford Puma|AB12 CDE|https://survey.example.com/r/FOC%20123%2F9|2 June 2025", rendered.Body);
        Assert.Null(rendered.Subject);
    }

    [Fact]
    public void Render_EmailWithoutTitleOrVehicle_NoDoubleSpacesAndGenericVehicle()
    {
        var data = Jane with { CustomerTitle = null, VehicleDescription = null, Registration = null };

        var rendered = TemplateRenderer.Render(MessageChannel.Email, "Hi {CustomerName}", "Your {VehicleDescription} {Registration}.", data, "https://s/");

        Assert.Equal("Hi Jane Smith", rendered.Subject);
        Assert.Equal("Your vehicle .", rendered.Body);
    }

    [Fact]
    public void Render_DefaultSeededTemplates_HaveNoUnknownPlaceholders()
    {
        foreach (var t in KonnectLive.Core.Data.DatabaseInitializer.DefaultTemplates(DateTime.UtcNow))
        {
            Assert.Empty(TemplateRenderer.UnknownPlaceholders(t.Body));
            Assert.Empty(TemplateRenderer.UnknownPlaceholders(t.Subject));
        }
    }

    [Theory]
    [InlineData("Hi {CustomerName}", new string[0])]
    [InlineData("Hi {CustomerNmae} {Foo} {Foo}", new[] { "CustomerNmae", "Foo" })]
    [InlineData("Hi {customername}", new[] { "customername" })]
    [InlineData("Hi { CustomerName }", new[] { " CustomerName " })]
    [InlineData("Hi {}", new[] { "" })]
    [InlineData("no braces at all", new string[0])]
    public void UnknownPlaceholders_Text_ListsEachUnknownOnce(string text, string[] unknown) =>
        Assert.Equal(unknown, TemplateRenderer.UnknownPlaceholders(text));
}
