using KonnectLive.Core.Customers;
using KonnectLive.Core.Surveys;

namespace KonnectLive.Core.Inbound.Ingest;

/// <summary>
/// What a record says about its customer and vehicle, applied to the stored ones. Absent optional values never erase
/// stored ones; numbers are only added (up to five), never dropped, so their unsubscribes are kept.
/// </summary>
internal static class CsiCustomerData
{
    /// <summary>Updates an existing record's details; true if anything changed.</summary>
    public static bool ApplyToRecord(SurveyRecord record, IngestRecord v, CustomerMatcher customers)
    {
        var changed = UpdateCustomer(record.Customer, v, customers);
        var vehicle = MatchVehicle(record.Customer, v.Vehicle);
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

    public static bool UpdateCustomer(Customer customer, IngestRecord v, CustomerMatcher customers)
    {
        var input = v.Customer;
        var changed = false;
        if (!string.IsNullOrWhiteSpace(input.Title) && customer.Title != input.Title.Trim()) { customer.Title = input.Title.Trim(); changed = true; }
        if (customer.FirstName != input.FirstName!.Trim()) { customer.FirstName = input.FirstName.Trim(); changed = true; }
        if (customer.LastName != input.LastName!.Trim()) { customer.LastName = input.LastName.Trim(); changed = true; }
        // The unsubscribe stays with the customer: a new address does not undo a "no".
        if (v.Email is { } email && customer.Email != email) { customer.Email = email; changed = true; customers.AddEmail(customer); }
        changed |= AddPhones(customer, v, customers);
        return changed;
    }

    private static bool AddPhones(Customer customer, IngestRecord v, CustomerMatcher customers)
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
                customers.AddPhone(customer, number);
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
