using KonnectLive.Core.Customers;
using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Inbound.Ingest;

/// <summary>A change of who a customer is that a record asked for but was not allowed to make (its match was not FOCUS's customer id).</summary>
internal sealed record ProposedIdentityChange(Customer Customer, string FocusRecordId, string MatchedOn, IReadOnlyList<string> Changes);

/// <summary>
/// What a record says about its customer and vehicle, applied to the stored ones.
/// <list type="bullet">
/// <item>Who the customer is (title, names, email, FOCUS customer id) changes only when FOCUS's customer id matched. On
/// any weaker evidence — an email, a number and the name, or just being the customer of a record FOCUS sent before —
/// an empty value is filled, a value that is the same name in another case or spelling with accents is left as it is,
/// and a conflicting one is kept and the incoming one recorded as a proposed change (audited by the ingest).</item>
/// <item>Absent optional values never erase stored ones; numbers are only added (up to five), never dropped, so their
/// unsubscribes are kept; vehicles are matched by VIN, then registration, else added.</item>
/// </list>
/// </summary>
internal sealed class CsiCustomerData(CustomerMatcher customers)
{
    public List<ProposedIdentityChange> Proposals { get; } = [];

    /// <summary>Updates an existing record's details; true if anything changed.</summary>
    public bool ApplyToRecord(SurveyRecord record, IngestRecord v)
    {
        // The record's own customer: the same person only as far as FOCUS's customer id says so.
        var own = record.Customer;
        var match = new CustomerMatch(own, !string.IsNullOrEmpty(v.FocusCustomerId) && own.FocusCustomerId == v.FocusCustomerId
            ? CustomerMatchKind.FocusCustomerId : CustomerMatchKind.None);
        var changed = UpdateCustomer(match, v, "its survey record");
        var vehicle = MatchVehicle(own, v.Vehicle);
        if (!ReferenceEquals(record.Vehicle, vehicle))
        {
            record.Vehicle = vehicle;
            changed = true;
        }
        changed |= UpdateVehicle(vehicle, v.Vehicle);
        if (v.Input.Score is { } score && record.Score != score) { record.Score = score; changed = true; }
        var eventType = v.Input.ParsedEventType;
        if (record.EventType != eventType) { record.EventType = eventType; changed = true; }
        if (record.EventDate != v.EventDate) { record.EventDate = v.EventDate; changed = true; }
        return changed;
    }

    /// <summary>The customer a new record belongs to (created when nobody matches), with the record's details applied.</summary>
    public Customer ForNewRecord(IngestRecord v, Func<Customer> create)
    {
        var match = customers.Match(v.Identity);
        if (match.Customer is { } existing)
        {
            UpdateCustomer(match, v, match.Describe());
            return existing;
        }
        // Nobody we know: the customer is exactly who the record says.
        var customer = create();
        customer.FocusCustomerId = v.FocusCustomerId;
        UpdateCustomer(new CustomerMatch(customer, CustomerMatchKind.FocusCustomerId), v, "");
        return customer;
    }

    private bool UpdateCustomer(CustomerMatch match, IngestRecord v, string matchedOn)
    {
        var customer = match.Customer!;
        var changed = match.MayChangeIdentity ? ChangeIdentity(customer, v) : ProposeIdentity(customer, v, matchedOn);
        changed |= AddPhones(customer, v);
        customers.Add(customer); // later records of the batch find it under its new email and numbers
        return changed;
    }

    private static bool ChangeIdentity(Customer customer, IngestRecord v)
    {
        var input = v.Customer;
        var changed = false;
        if (!string.IsNullOrWhiteSpace(input.Title) && customer.Title != input.Title.Trim()) { customer.Title = input.Title.Trim(); changed = true; }
        if (customer.FirstName != input.FirstName!.Trim()) { customer.FirstName = input.FirstName.Trim(); changed = true; }
        if (customer.LastName != input.LastName!.Trim()) { customer.LastName = input.LastName.Trim(); changed = true; }
        // The unsubscribe stays with the customer: a new address does not undo a "no".
        if (v.Email is { } email && customer.Email != email) { customer.Email = email; changed = true; }
        return changed;
    }

    private bool ProposeIdentity(Customer customer, IngestRecord v, string matchedOn)
    {
        var input = v.Customer;
        var changed = false;
        var proposed = new List<string>();
        if (!string.IsNullOrWhiteSpace(input.Title))
        {
            var title = input.Title.Trim();
            if (string.IsNullOrWhiteSpace(customer.Title)) { customer.Title = title; changed = true; }
            else if (!NameNormaliser.Same(customer.Title, title)) proposed.Add($"title “{customer.Title}” → “{title}”");
        }
        if (!NameNormaliser.Same(customer.FirstName, input.FirstName)) proposed.Add($"first name “{customer.FirstName}” → “{input.FirstName!.Trim()}”");
        if (!NameNormaliser.Same(customer.LastName, input.LastName)) proposed.Add($"last name “{customer.LastName}” → “{input.LastName!.Trim()}”");
        if (v.Email is { } email)
        {
            if (customer.Email is null) { customer.Email = email; changed = true; }
            else if (customer.Email != email) proposed.Add($"email “{customer.Email}” → “{email}”");
        }
        if (v.FocusCustomerId is { } focusCustomerId && customer.FocusCustomerId != focusCustomerId)
        {
            // Taking FOCUS's id is safe only for the very same name, and only if nobody else already has it.
            if (customer.FocusCustomerId is null && proposed.Count == 0 && customers.WithFocusCustomerId(customer.DealershipId, focusCustomerId) is null)
            {
                customer.FocusCustomerId = focusCustomerId;
                changed = true;
            }
            else proposed.Add($"FOCUS customer id “{customer.FocusCustomerId ?? "none"}” → “{focusCustomerId}”");
        }
        if (proposed.Count > 0) Proposals.Add(new ProposedIdentityChange(customer, v.FocusRecordId, matchedOn, proposed));
        return changed;
    }

    private static bool AddPhones(Customer customer, IngestRecord v)
    {
        var changed = false;
        foreach (var (number, type) in v.Phones)
        {
            var phone = customer.Phones.FirstOrDefault(p => p.Number == number);
            if (phone is null)
            {
                if (customer.Phones.Count >= Customer.MaxPhones) continue;
                var position = Enumerable.Range(1, Customer.MaxPhones).First(n => customer.Phones.All(p => p.Position != n));
                customer.Phones.Add(new CustomerPhone { Number = number, Type = type, Position = position });
                changed = true;
            }
            else if (phone.Type != type)
            {
                phone.Type = type;
                changed = true;
            }
        }
        return changed;
    }

    /// <summary>The customer's vehicle with the record's VIN, else its registration; else a new one.</summary>
    public static Vehicle MatchVehicle(Customer customer, CsiVehicleInput input)
    {
        var vin = string.IsNullOrWhiteSpace(input.Vin) ? null : input.Vin.Trim().ToUpperInvariant();
        var registration = CsiFormats.RegistrationKey(input.Registration!);
        var vehicle = (vin is null ? null : customer.Vehicles.FirstOrDefault(x => x.Vin == vin))
                      ?? customer.Vehicles.FirstOrDefault(x => CsiFormats.RegistrationKey(x.Registration) == registration);
        if (vehicle is not null) return vehicle;
        vehicle = new Vehicle { Registration = input.Registration!.Trim().ToUpperInvariant() };
        UpdateVehicle(vehicle, input);
        customer.Vehicles.Add(vehicle);
        return vehicle;
    }

    private static bool UpdateVehicle(Vehicle vehicle, CsiVehicleInput input)
    {
        var changed = false;
        var registration = input.Registration!.Trim().ToUpperInvariant();
        if (CsiFormats.RegistrationKey(vehicle.Registration) != CsiFormats.RegistrationKey(registration)) { vehicle.Registration = registration; changed = true; }
        if (!string.IsNullOrWhiteSpace(input.Vin) && vehicle.Vin != input.Vin.Trim().ToUpperInvariant()) { vehicle.Vin = input.Vin.Trim().ToUpperInvariant(); changed = true; }
        if (!string.IsNullOrWhiteSpace(input.Make) && vehicle.Make != input.Make.Trim()) { vehicle.Make = input.Make.Trim(); changed = true; }
        if (!string.IsNullOrWhiteSpace(input.Model) && vehicle.Model != input.Model.Trim()) { vehicle.Model = input.Model.Trim(); changed = true; }
        return changed;
    }
}
