namespace KonnectLive.Core.Customers;

/// <summary>Customers by (dealership, E.164 number) and (dealership, email), including those created earlier in the batch.</summary>
public sealed class CustomerMatcher
{
    private readonly Dictionary<(int, string), List<Customer>> _byPhone = [];
    private readonly Dictionary<(int, string), List<Customer>> _byEmail = [];

    public void Add(Customer c)
    {
        foreach (var p in c.Phones) AddPhone(c, p.Number);
        AddEmail(c);
    }

    public void AddPhone(Customer c, string number) => AddTo(_byPhone, (c.DealershipId, number), c);

    public void AddEmail(Customer c)
    {
        if (c.Email is { } e) AddTo(_byEmail, (c.DealershipId, e.ToLowerInvariant()), c);
    }

    public Customer? Match(int dealershipId, IEnumerable<(string Number, PhoneType Type)> phones, string? email, string lastName)
    {
        bool SamePerson(Customer c) => string.Equals(c.LastName.Trim(), lastName, StringComparison.OrdinalIgnoreCase);
        foreach (var (number, _) in phones)
            if (_byPhone.TryGetValue((dealershipId, number), out var list) && list.FirstOrDefault(SamePerson) is { } byPhone)
                return byPhone;
        if (email is not null && _byEmail.TryGetValue((dealershipId, email), out var byEmail))
            return byEmail.FirstOrDefault(SamePerson);
        return null;
    }

    private static void AddTo(Dictionary<(int, string), List<Customer>> map, (int, string) key, Customer c)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        if (!list.Contains(c)) list.Add(c);
    }
}
