namespace KonnectLive.Core.Customers.Profile;

/// <summary>The add / edit contact form. Unsubscribe flags are deliberately absent: they are not edited here.</summary>
public sealed class ContactInput
{
    /// <summary>For a new contact: the dealership (a dealership user's own is used whatever is sent).</summary>
    public int? DealershipId { get; set; }
    public string? Title { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }
    public List<PhoneInput> Phones { get; set; } = [];

    public static ContactInput From(CustomerProfile c) => new()
    {
        DealershipId = c.DealershipId, Title = c.Title, FirstName = c.FirstName, LastName = c.LastName, Email = c.Email,
        Phones = [.. c.Phones.OrderBy(p => p.Position).Select(p => new PhoneInput { Number = PhoneNormaliser.Display(p.Number), Type = Enum.Parse<PhoneType>(p.Type) })],
    };
}

public sealed class PhoneInput
{
    public string? Number { get; set; }
    public PhoneType Type { get; set; } = PhoneType.Mobile;
}
