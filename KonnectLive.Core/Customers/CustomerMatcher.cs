namespace KonnectLive.Core.Customers;

/// <summary>Which key found the customer, strongest first.</summary>
public enum CustomerMatchKind { None, FocusCustomerId, Email, PhoneAndName }

/// <summary>Who an incoming record says its customer is. Email lower case, phones E.164.</summary>
public sealed record CustomerIdentity(int DealershipId, string? FocusCustomerId, string? Email, IReadOnlyList<string> Phones, string FirstName,
    string LastName);

/// <summary>The customer a record belongs to, and on what evidence.</summary>
public sealed record CustomerMatch(Customer? Customer, CustomerMatchKind Kind)
{
    public static readonly CustomerMatch None = new(null, CustomerMatchKind.None);

    /// <summary>Only FOCUS's own customer id may change who a customer is (title, names, email); a weaker match may only propose it.</summary>
    public bool MayChangeIdentity => Kind == CustomerMatchKind.FocusCustomerId;

    public string Describe() => Kind switch
    {
        CustomerMatchKind.FocusCustomerId => "FOCUS customer id",
        CustomerMatchKind.Email => "email",
        CustomerMatchKind.PhoneAndName => "phone number and name",
        _ => "nothing",
    };
}

/// <summary>
/// Decides whether an incoming record is a customer we already have — within its dealership, on identity, never on a
/// shared number alone:
/// <list type="number">
/// <item>FOCUS's customer id, when the record has one: the same id is the same person, whatever their name or email now.</item>
/// <item>Else the email (stored lower case).</item>
/// <item>Else a shared phone number <em>and</em> the same first and last name, compared by <see cref="NameNormaliser.Key"/>
/// (case, accents and spacing ignored). A household sharing a home number is several people; so are twins sharing a
/// mobile.</item>
/// </list>
/// A customer FOCUS knows under another customer id is never matched by a weaker key: FOCUS says they are someone else.
/// Among several candidates for one key, one whose names agree wins, then the oldest. Pure and in memory: the ingest
/// loads the candidates, and adds the customers it creates or changes so later records of the same batch find them.
/// </summary>
public sealed class CustomerMatcher
{
    private readonly Dictionary<(int, string), List<Customer>> _byFocusId = [];
    private readonly Dictionary<(int, string), List<Customer>> _byEmail = [];
    private readonly Dictionary<(int, string), List<Customer>> _byPhone = [];
    private readonly Dictionary<Customer, int> _order = new(ReferenceEqualityComparer.Instance);

    /// <summary>Indexes the customer under its current id, email and numbers (call again after changing them; nothing is lost).</summary>
    public void Add(Customer c)
    {
        _order.TryAdd(c, _order.Count);
        if (!string.IsNullOrEmpty(c.FocusCustomerId)) AddTo(_byFocusId, (c.DealershipId, c.FocusCustomerId), c);
        if (!string.IsNullOrEmpty(c.Email)) AddTo(_byEmail, (c.DealershipId, c.Email.ToLowerInvariant()), c);
        foreach (var p in c.Phones) AddTo(_byPhone, (c.DealershipId, p.Number), c);
    }

    /// <summary>The customer of the dealership FOCUS knows by this id, if any.</summary>
    public Customer? WithFocusCustomerId(int dealershipId, string focusCustomerId) =>
        Candidates(_byFocusId, (dealershipId, focusCustomerId)).FirstOrDefault(c => c.FocusCustomerId == focusCustomerId);

    public CustomerMatch Match(CustomerIdentity who)
    {
        if (!string.IsNullOrEmpty(who.FocusCustomerId) && WithFocusCustomerId(who.DealershipId, who.FocusCustomerId) is { } byId)
            return new(byId, CustomerMatchKind.FocusCustomerId);

        var first = NameNormaliser.Key(who.FirstName);
        var last = NameNormaliser.Key(who.LastName);
        bool SameName(Customer c) => NameNormaliser.Key(c.FirstName) == first && NameNormaliser.Key(c.LastName) == last;
        bool NotSomeoneElse(Customer c) =>
            string.IsNullOrEmpty(who.FocusCustomerId) || string.IsNullOrEmpty(c.FocusCustomerId) || c.FocusCustomerId == who.FocusCustomerId;

        if (!string.IsNullOrEmpty(who.Email))
        {
            var byEmail = Candidates(_byEmail, (who.DealershipId, who.Email))
                .Where(c => string.Equals(c.Email, who.Email, StringComparison.OrdinalIgnoreCase) && NotSomeoneElse(c))
                .OrderBy(c => SameName(c) ? 0 : 1).FirstOrDefault();
            if (byEmail is not null) return new(byEmail, CustomerMatchKind.Email);
        }

        foreach (var number in who.Phones)
        {
            var byPhone = Candidates(_byPhone, (who.DealershipId, number))
                .FirstOrDefault(c => c.Phones.Any(p => p.Number == number) && SameName(c) && NotSomeoneElse(c));
            if (byPhone is not null) return new(byPhone, CustomerMatchKind.PhoneAndName);
        }
        return CustomerMatch.None;
    }

    /// <summary>The indexed customers under a key that are still in that dealership, oldest first (those not yet saved last, in the order they came).</summary>
    private IEnumerable<Customer> Candidates(Dictionary<(int, string), List<Customer>> map, (int DealershipId, string Key) key) =>
        map.TryGetValue(key, out var list)
            ? list.Where(c => c.DealershipId == key.DealershipId).OrderBy(c => c.Id == 0 ? int.MaxValue : c.Id).ThenBy(c => _order[c])
            : [];

    private static void AddTo(Dictionary<(int, string), List<Customer>> map, (int, string) key, Customer c)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        if (!list.Contains(c)) list.Add(c);
    }
}
