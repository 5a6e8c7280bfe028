using FluentValidation;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Calling;
using KonnectLive.Core.Data;
using KonnectLive.Core.Settings;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Customers.Profile;

/// <summary>
/// The customer page's data, and adding and editing contacts. Every call takes the user's scope: a customer in a
/// dealership the user may not see is "not found". Editing is for admins, and for everyone else only while
/// <see cref="AppSettings.AgentsMayEditContacts"/> is on — checked here, on every save, not just by hidden buttons.
/// </summary>
public sealed class CustomerProfileService(IDbContextFactory<KonnectDbContext> dbFactory, IValidator<ContactInput> validator, TimeProvider time)
{
    public const string NotFoundMessage = "That customer does not exist or is not in your dealership.";
    public const string RefusedMessage = "Only admins may add or edit contacts (an admin can allow agents in Configuration).";

    public async Task<bool> CanEditContactsAsync(UserScope user, CancellationToken ct = default)
    {
        if (user.IsInRole(Roles.Admin)) return true;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await MayEditAsync(db, user, ct);
    }

    /// <summary>Whether <see cref="GetAsync"/> would find the customer for this user (the page's HTTP status asks it).</summary>
    public async Task<bool> IsVisibleAsync(UserScope user, int customerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Visible(db, user, customerId).AnyAsync(ct);
    }

    /// <summary>The customer, if it exists and is in the user's dealership (head office sees every dealership).</summary>
    private static IQueryable<Customer> Visible(KonnectDbContext db, UserScope user, int customerId) =>
        db.Customers.AsNoTracking().Where(x => x.Id == customerId && (user.DealershipId == null || x.DealershipId == user.DealershipId));

    public async Task<CustomerProfile?> GetAsync(UserScope user, int customerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await Visible(db, user, customerId)
            .Select(x => new
            {
                x.Id, x.DealershipId, DealershipName = x.Dealership.Name, x.Title, x.FirstName, x.LastName, x.Email, x.EmailUnsubscribedAt,
                Phones = x.Phones.OrderBy(p => p.Position)
                    .Select(p => new PhoneView(p.Id, p.Position, p.Number, p.Type.ToString(), p.CallUnsubscribedAt != null, p.SmsUnsubscribedAt != null,
                        p.WrongNumberAt != null))
                    .ToList(),
                Vehicles = x.Vehicles.OrderBy(v => v.Id).Select(v => new VehicleView(v.Id, v.Registration, v.Vin, v.Make, v.Model)).ToList(),
            })
            .AsSplitQuery()
            .SingleOrDefaultAsync(ct);
        if (c is null) return null;

        var surveys = await db.SurveyRecords.AsNoTracking()
            .Where(r => r.CustomerId == customerId)
            .OrderByDescending(r => r.StatusChangedAt).ThenByDescending(r => r.Id)
            .Select(r => new SurveySummary(r.Id, r.FocusRecordId, r.Status, r.StatusChangedAt, r.EventType, r.EventDate, r.Score,
                r.Vehicle == null ? null : r.Vehicle.Registration, r.AttemptCount, r.LastAttemptAt,
                r.History.OrderByDescending(h => h.ChangedAt).ThenByDescending(h => h.Id)
                    .Select(h => new SurveyStatusStep(h.Status, h.ChangedAt, h.ReceivedAt)).ToList()))
            .AsSplitQuery()
            .ToListAsync(ct);

        var canEdit = user.IsInRole(Roles.Admin) || await MayEditAsync(db, user, ct);
        return new CustomerProfile(c.Id, c.DealershipId, c.DealershipName, c.Title, c.FirstName, c.LastName, c.Email,
            c.EmailUnsubscribedAt is not null, c.Phones, c.Vehicles, surveys, canEdit);
    }

    /// <summary>The dealerships a new contact may go in: a dealership user's own; every one for head office.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> DealershipsForNewContactAsync(UserScope user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Dealerships.AsNoTracking()
            .Where(d => user.DealershipId == null || d.Id == user.DealershipId)
            .OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync(ct);
        return [.. rows.Select(r => (r.Id, r.Name))];
    }

    public async Task<ContactSaveResult> UpdateAsync(UserScope user, int customerId, ContactInput input, CancellationToken ct = default)
    {
        var invalid = await ValidateAsync(input, ct);
        if (invalid is not null) return invalid;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customer = await db.Customers.Include(c => c.Phones).SingleOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null || !user.CanSee(customer.DealershipId)) return new(ContactSaveStatus.NotFound, NotFoundMessage);
        if (!user.IsInRole(Roles.Admin) && !await MayEditAsync(db, user, ct)) return new(ContactSaveStatus.Refused, RefusedMessage);

        var changed = new List<string>();
        Set(customer.Title, Clean(input.Title), v => customer.Title = v, "Title");
        Set(customer.FirstName, Clean(input.FirstName) ?? "", v => customer.FirstName = v!, "FirstName");
        Set(customer.LastName, Clean(input.LastName) ?? "", v => customer.LastName = v!, "LastName");
        Set(customer.Email, CleanEmail(input.Email), v => customer.Email = v, "Email");

        // Numbers are matched by their normal form, so a kept number keeps its row and with it its unsubscribes.
        var wanted = Normalise(input);
        var removed = customer.Phones.Where(p => wanted.All(w => w.Number != p.Number)).ToList();
        var added = wanted.Where(w => customer.Phones.All(p => p.Number != w.Number)).ToList();
        var retyped = customer.Phones.Where(p => wanted.Any(w => w.Number == p.Number && w.Type != p.Type)).ToList();
        foreach (var p in retyped) p.Type = wanted.First(w => w.Number == p.Number).Type;
        if (removed.Count > 0) changed.Add($"Phones removed: {string.Join(", ", removed.Select(p => p.Number))}");
        if (added.Count > 0) changed.Add($"Phones added: {string.Join(", ", added.Select(p => p.Number))}");
        if (retyped.Count > 0) changed.Add($"Phone types: {string.Join(", ", retyped.Select(p => $"{p.Number} {p.Type}"))}");

        if (changed.Count == 0) return new(ContactSaveStatus.Saved, "Nothing changed.", customer.Id);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Removals first, in their own save: a new number may take a freed position (unique per customer).
        foreach (var p in removed) customer.Phones.Remove(p);
        await db.SaveChangesAsync(ct);
        foreach (var (number, type) in added)
        {
            var position = Enumerable.Range(1, Customer.MaxPhones).First(n => customer.Phones.All(p => p.Position != n));
            customer.Phones.Add(new CustomerPhone { Number = number, Type = type, Position = position });
        }
        AuditLog.Add(db, time.GetUtcNow().UtcDateTime, user, "customer.updated", nameof(Customer), customer.Id.ToString(),
            "Changed: " + string.Join("; ", changed), customer.Id);
        await db.SaveChangesAsync(ct);
        await Calling.NoNumberToCall.SyncAsync(db, customer.Id, ct); // a number added or removed may make them callable or not
        await tx.CommitAsync(ct);
        return new(ContactSaveStatus.Saved, "Contact saved.", customer.Id);

        void Set(string? current, string? value, Action<string?> assign, string field)
        {
            if (current == value) return;
            assign(value);
            changed.Add(field);
        }
    }

    /// <summary>
    /// Adds a contact. Unless <paramref name="allowDuplicate"/>, a customer in the same dealership with one of these
    /// numbers or this email is reported instead (the page warns and links to them).
    /// </summary>
    public async Task<ContactSaveResult> CreateAsync(UserScope user, ContactInput input, bool allowDuplicate = false, CancellationToken ct = default)
    {
        var invalid = await ValidateAsync(input, ct);
        if (invalid is not null) return invalid;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!user.IsInRole(Roles.Admin) && !await MayEditAsync(db, user, ct)) return new(ContactSaveStatus.Refused, RefusedMessage);
        var dealershipId = user.DealershipId ?? input.DealershipId;
        if (dealershipId is not { } dealership || !await db.Dealerships.AnyAsync(d => d.Id == dealership, ct))
            return new(ContactSaveStatus.Invalid, "Choose the dealership.",
                Errors: new Dictionary<string, string[]> { [nameof(ContactInput.DealershipId)] = ["Choose the dealership."] });

        var phones = Normalise(input);
        var email = CleanEmail(input.Email);
        if (!allowDuplicate && await FindDuplicateAsync(db, dealership, phones.Select(p => p.Number).ToList(), email, ct) is { } duplicate)
            return new(ContactSaveStatus.Duplicate, $"{duplicate.Name} already has this {duplicate.MatchedOn}.", duplicate.CustomerId, Duplicate: duplicate);

        var customer = new Customer
        {
            DealershipId = dealership, Title = Clean(input.Title), FirstName = Clean(input.FirstName) ?? "",
            LastName = Clean(input.LastName) ?? "", Email = email,
            Phones = [.. phones.Select((p, i) => new CustomerPhone { Position = i + 1, Number = p.Number, Type = p.Type })],
        };
        db.Customers.Add(customer);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, time.GetUtcNow().UtcDateTime, user, "customer.created", nameof(Customer), customer.Id.ToString(),
            $"Added {customer.FullName}{(allowDuplicate ? " (duplicate warning overridden)" : "")}", customer.Id);
        await db.SaveChangesAsync(ct);
        return new(ContactSaveStatus.Saved, "Contact added.", customer.Id);
    }

    private static async Task<DuplicateContact?> FindDuplicateAsync(KonnectDbContext db, int dealershipId, List<string> numbers, string? email,
        CancellationToken ct)
    {
        var byPhone = await db.CustomerPhones.AsNoTracking()
            .Where(p => numbers.Contains(p.Number))
            .Join(db.Customers.Where(c => c.DealershipId == dealershipId), p => p.CustomerId, c => c.Id,
                (p, c) => new { c.Id, c.Title, c.FirstName, c.LastName, p.Number })
            .FirstOrDefaultAsync(ct);
        if (byPhone is not null)
            return new(byPhone.Id, Name(byPhone.Title, byPhone.FirstName, byPhone.LastName), $"phone number ({PhoneNormaliser.Display(byPhone.Number)})");
        if (email is null) return null;
        var byEmail = await db.Customers.AsNoTracking()
            .Where(c => c.DealershipId == dealershipId && c.Email != null && c.Email.ToLower() == email)
            .Select(c => new { c.Id, c.Title, c.FirstName, c.LastName })
            .FirstOrDefaultAsync(ct);
        return byEmail is null ? null : new(byEmail.Id, Name(byEmail.Title, byEmail.FirstName, byEmail.LastName), $"email ({email})");

        static string Name(string? t, string f, string l) => string.Join(' ', new[] { t, f, l }.Where(s => !string.IsNullOrWhiteSpace(s)));
    }

    private async Task<ContactSaveResult?> ValidateAsync(ContactInput input, CancellationToken ct)
    {
        var validation = await validator.ValidateAsync(input, ct);
        return validation.IsValid ? null : new(ContactSaveStatus.Invalid, validation.Errors[0].ErrorMessage, Errors: validation.ToDictionary().AsReadOnly());
    }

    private static async Task<bool> MayEditAsync(KonnectDbContext db, UserScope user, CancellationToken ct) =>
        user.IsInRole(Roles.Admin)
        || await db.AppSettings.AsNoTracking().Where(s => s.Id == AppSettings.SingletonId).Select(s => s.AgentsMayEditContacts).FirstOrDefaultAsync(ct);

    private static List<(string Number, PhoneType Type)> Normalise(ContactInput input) =>
        [.. input.Phones.Select(p => (Number: PhoneNormaliser.ToE164(p.Number)!, p.Type)).Where(p => p.Number is not null).DistinctBy(p => p.Number)];

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    // Ingest stores emails in lower case; so does the form, so lookups and duplicate checks agree.
    private static string? CleanEmail(string? s) => Clean(s)?.ToLowerInvariant();
}
