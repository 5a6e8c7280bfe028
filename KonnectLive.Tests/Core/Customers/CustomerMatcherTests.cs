using KonnectLive.Core.Customers;

namespace KonnectLive.Tests.Core.Customers;

/// <summary>Who an incoming record is: one table of situations, each with the customers already known and the expected answer.</summary>
public sealed class CustomerMatcherTests
{
    private const string Home = "+441134960000";
    private const string AnnaMobile = "+447700900001";
    private const string BenMobile = "+447700900002";
    private const string TwinsMobile = "+447700900003";

    public sealed record MatchCase(string Name, Customer[] Known, CustomerIdentity Incoming, int? ExpectedId, CustomerMatchKind ExpectedKind);

    private static Customer Known(int id, string first, string last, string? email = null, string? focusId = null, int dealership = 1,
        params string[] phones)
    {
        var c = new Customer { Id = id, DealershipId = dealership, FirstName = first, LastName = last, Email = email, FocusCustomerId = focusId };
        for (var i = 0; i < phones.Length; i++) c.Phones.Add(new CustomerPhone { Number = phones[i], Position = i + 1 });
        return c;
    }

    private static CustomerIdentity Incoming(string first, string last, string? email = null, string? focusId = null, int dealership = 1,
        params string[] phones) => new(dealership, focusId, email, phones, first, last);

    private static Customer Anna() => Known(1, "Anna", "Family", "anna@family.example", null, 1, Home, AnnaMobile);

    public static readonly MatchCase[] Cases =
    [
        new("household: Ben shares Anna's home number only", [Anna()],
            Incoming("Ben", "Family", "ben@family.example", null, 1, Home, BenMobile), null, CustomerMatchKind.None),
        new("household: Anna again, her mobile, no email", [Anna()],
            Incoming("Anna", "Family", null, null, 1, AnnaMobile), 1, CustomerMatchKind.PhoneAndName),
        new("household: Anna again on the shared home number", [Anna(), Known(2, "Ben", "Family", "ben@family.example", null, 1, Home, BenMobile)],
            Incoming("Anna", "Family", null, null, 1, Home), 1, CustomerMatchKind.PhoneAndName),
        new("household: Ben again on the shared home number", [Anna(), Known(2, "Ben", "Family", "ben@family.example", null, 1, Home, BenMobile)],
            Incoming("Ben", "Family", null, null, 1, Home), 2, CustomerMatchKind.PhoneAndName),
        new("household: Anna's email, a new number", [Anna()],
            Incoming("Anna", "Family", "anna@family.example", null, 1, "+447700900099"), 1, CustomerMatchKind.Email),
        new("typo in case: ANNA FAMILY", [Anna()],
            Incoming("ANNA", "FAMILY", null, null, 1, Home), 1, CustomerMatchKind.PhoneAndName),
        new("typo in case: anna family", [Anna()],
            Incoming("anna", "family", null, null, 1, AnnaMobile), 1, CustomerMatchKind.PhoneAndName),
        new("accents: Zoë Müller is Zoe Muller", [Known(7, "Zoë", "Müller", null, null, 1, Home)],
            Incoming("Zoe", "MULLER", null, null, 1, Home), 7, CustomerMatchKind.PhoneAndName),
        new("whitespace: '  Mary   Ann ' 'van  Dyke'", [Known(8, "Mary Ann", "van Dyke", null, null, 1, Home)],
            Incoming("  Mary   Ann ", "van  Dyke ", null, null, 1, Home), 8, CustomerMatchKind.PhoneAndName),
        new("a different first name is another person", [Anna()],
            Incoming("Anne", "Family", null, null, 1, AnnaMobile), null, CustomerMatchKind.None),
        new("changed email, same FOCUS id: the same person", [Known(3, "Anna", "Family", "old@family.example", "FC-1", 1, AnnaMobile)],
            Incoming("Anna", "Family", "new@family.example", "FC-1", 1, "+447700900050"), 3, CustomerMatchKind.FocusCustomerId),
        new("new surname, same FOCUS id: the same person", [Known(3, "Anna", "Family", "anna@family.example", "FC-1", 1, AnnaMobile)],
            Incoming("Anna", "Newlywed", null, "FC-1", 1), 3, CustomerMatchKind.FocusCustomerId),
        new("the FOCUS id wins over another customer's email",
            [Known(3, "Anna", "Family", "old@family.example", "FC-1"), Known(4, "Ben", "Family", "new@family.example")],
            Incoming("Anna", "Family", "new@family.example", "FC-1"), 3, CustomerMatchKind.FocusCustomerId),
        new("same email, different FOCUS ids: FOCUS says someone else", [Known(3, "Anna", "Family", "family@example.com", "FC-1")],
            Incoming("Ben", "Family", "family@example.com", "FC-2"), null, CustomerMatchKind.None),
        new("number and name, different FOCUS ids: someone else", [Known(3, "Anna", "Family", null, "FC-1", 1, Home)],
            Incoming("Anna", "Family", null, "FC-2", 1, Home), null, CustomerMatchKind.None),
        new("a FOCUS id we do not know yet, email of a customer without one", [Anna()],
            Incoming("Anna", "Family", "anna@family.example", "FC-9"), 1, CustomerMatchKind.Email),
        new("twins with one mobile and different first names: two people", [Known(5, "Tom", "Twin", null, null, 1, TwinsMobile)],
            Incoming("Tim", "Twin", null, null, 1, TwinsMobile), null, CustomerMatchKind.None),
        new("twins: Tim again finds Tim, not Tom",
            [Known(5, "Tom", "Twin", null, null, 1, TwinsMobile), Known(6, "Tim", "Twin", null, null, 1, TwinsMobile)],
            Incoming("Tim", "Twin", null, null, 1, TwinsMobile), 6, CustomerMatchKind.PhoneAndName),
        new("shared number, different surname", [Anna()],
            Incoming("Anna", "Lodger", null, null, 1, Home), null, CustomerMatchKind.None),
        new("email beats number and name", [Anna(), Known(9, "Ann", "Other", "ann@other.example")],
            Incoming("Anna", "Family", "ann@other.example", null, 1, AnnaMobile), 9, CustomerMatchKind.Email),
        new("a shared email: the one with the same name", [Known(10, "Anna", "Family", "family@example.com"), Known(11, "Ben", "Family", "family@example.com")],
            Incoming("Ben", "Family", "family@example.com"), 11, CustomerMatchKind.Email),
        new("a shared email, neither name: the older", [Known(11, "Ben", "Family", "family@example.com"), Known(10, "Anna", "Family", "family@example.com")],
            Incoming("Cara", "Family", "family@example.com"), 10, CustomerMatchKind.Email),
        new("two known duplicates: the older", [Known(13, "Anna", "Family", null, null, 1, Home), Known(12, "Anna", "Family", null, null, 1, Home)],
            Incoming("Anna", "Family", null, null, 1, Home), 12, CustomerMatchKind.PhoneAndName),
        new("another dealership's customer", [Anna()],
            Incoming("Anna", "Family", "anna@family.example", null, 2, AnnaMobile), null, CustomerMatchKind.None),
        new("another dealership's FOCUS id", [Known(3, "Anna", "Family", null, "FC-1")],
            Incoming("Anna", "Family", null, "FC-1", 2), null, CustomerMatchKind.None),
        new("nothing to match on", [Anna()], Incoming("Anna", "Family"), null, CustomerMatchKind.None),
    ];

    public static TheoryData<string> CaseNames => [.. Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Match_Situation_FindsTheRightPersonOrNobody(string name)
    {
        var situation = Cases.Single(c => c.Name == name);
        var matcher = new CustomerMatcher();
        foreach (var customer in situation.Known) matcher.Add(customer);

        var match = matcher.Match(situation.Incoming);

        Assert.Equal(situation.ExpectedId, match.Customer?.Id);
        Assert.Equal(situation.ExpectedKind, match.Kind);
        Assert.Equal(situation.ExpectedKind == CustomerMatchKind.FocusCustomerId, match.MayChangeIdentity);
    }

    [Fact]
    public void Match_CustomerAddedAgainAfterAChange_FoundByTheNewValuesAndNotTheOld()
    {
        var matcher = new CustomerMatcher();
        var customer = Known(0, "Anna", "Family", "old@family.example", null, 1, AnnaMobile);
        matcher.Add(customer);
        customer.Email = "new@family.example";
        customer.FirstName = "Annabel";
        matcher.Add(customer);

        Assert.Same(customer, matcher.Match(Incoming("X", "Y", "new@family.example")).Customer);
        Assert.Null(matcher.Match(Incoming("X", "Y", "old@family.example")).Customer);
        Assert.Null(matcher.Match(Incoming("Anna", "Family", null, null, 1, AnnaMobile)).Customer);
        Assert.Same(customer, matcher.Match(Incoming("Annabel", "Family", null, null, 1, AnnaMobile)).Customer);
    }

    [Fact]
    public void Match_UnsavedCustomers_InTheOrderTheyCame()
    {
        var matcher = new CustomerMatcher();
        var first = Known(0, "Anna", "Family", null, null, 1, Home);
        var second = Known(0, "Anna", "Family", null, null, 1, Home);
        matcher.Add(first);
        matcher.Add(second);

        Assert.Same(first, matcher.Match(Incoming("Anna", "Family", null, null, 1, Home)).Customer);
    }
}
