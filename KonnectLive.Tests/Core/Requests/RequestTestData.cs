using KonnectLive.Core.Customers;
using KonnectLive.Core.Requests;
using KonnectLive.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Requests;

internal static class RequestTestData
{
    public static readonly UserScope Admin = new("admin-1", "Ada Admin", null, false, [Roles.Admin]);

    /// <summary>"Service booking": Preferred date (Date, required), Mileage (Number), Reason (Choice Recall/Repair), Courtesy car (YesNo), Notes (Text).</summary>
    public static async Task<RequestTypeSummary> AddServiceBookingAsync(CoreTestDatabase db, string name = "Service booking")
    {
        var types = db.Services.GetRequiredService<RequestTypeService>();
        var result = await types.SaveAsync(Admin, new RequestTypeInput
        {
            Name = name,
            Fields =
            [
                new() { Name = "Preferred date", Type = CustomFieldType.Date, IsRequired = true },
                new() { Name = "Mileage", Type = CustomFieldType.Number },
                new() { Name = "Reason", Type = CustomFieldType.Choice, Choices = "Recall\nRepair" },
                new() { Name = "Courtesy car", Type = CustomFieldType.YesNo },
                new() { Name = "Notes", Type = CustomFieldType.Text },
            ],
        });
        Assert.True(result.Succeeded, result.Message);
        return (await types.ListAsync()).Single(t => t.Name == name);
    }

    public static int Field(RequestTypeSummary type, string name) => type.Fields.Single(f => f.Name == name).Id;
}
