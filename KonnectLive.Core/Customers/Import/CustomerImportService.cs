using System.Diagnostics;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Inbound;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using PhoneNumbers;

namespace KonnectLive.Core.Customers.Import;

/// <summary>
/// CSV bulk import of customers' system fields (Configuration → Import Customers).
/// <list type="bullet">
/// <item>A bad file (empty, binary, not UTF-8, broken quoting, wrong header) imports nothing.</item>
/// <item>Invalid rows are skipped and reported; the valid rows import.</item>
/// <item>A row updates the customer of its dealership that has one of its phone numbers (any format) or its email,
/// including a customer created by an earlier row of the same file; otherwise it creates one. A row matching two
/// different customers is skipped rather than guessed.</item>
/// <item>Updating replaces names (and title/email when given), adds new phones in free positions (never removing one,
/// so unsubscribes stay), and matches vehicles by VIN, then registration.</item>
/// <item>Everything is written in one transaction, in batches, with one audit entry: a failure half-way imports nothing.</item>
/// </list>
/// </summary>
public sealed class CustomerImportService(IDbContextFactory<KonnectDbContext> dbFactory, TimeProvider time)
{
    public const string AuditAction = "customers.imported";
    public const long MaxFileBytes = 20 * 1024 * 1024;
    private const int BatchSize = 1000;
    private const int ListLimit = 1000;
    private static readonly PhoneNumberUtil PhoneUtil = PhoneNumberUtil.GetInstance();

    /// <summary>Reads and checks the file and says what importing it would do; writes nothing.</summary>
    public async Task<CustomerImportPreview> PreviewAsync(UserScope user, byte[] content, int previewRows = 50, CancellationToken ct = default)
    {
        if (Refuse(user, content) is { } refusal) return new(refusal, 0, 0, 0, 0, 0, [], []);
        var file = CustomerCsvFile.Parse(content);
        if (file.FileError is not null) return new(file.FileError, 0, 0, 0, 0, 0, [], []);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var plan = await PlanAsync(db, user, file, ct);
        var rows = file.Rows.Take(previewRows).Select(r =>
        {
            plan.Outcomes.TryGetValue(r.Line, out var outcome);
            return new ImportPreviewRow(r.Line, r.DealershipCode, $"{r.Title} {r.FirstName} {r.LastName}".Trim(),
                r.Phones.Where(p => p.Length > 0).ToList(), r.Email.Length > 0 ? r.Email : null,
                string.Join(' ', new[] { r.Registration, r.Make, r.Model }.Where(s => s.Length > 0)) is { Length: > 0 } v ? v : null,
                outcome.Action, outcome.Errors ?? []);
        }).ToList();
        var invalid = plan.Skipped.Count;
        return new(null, file.Rows.Count, file.Rows.Count - invalid, invalid,
            plan.Targets.Count(t => t.ExistingId is null), plan.Targets.Sum(t => t.Rows.Count) - plan.Targets.Count(t => t.ExistingId is null),
            rows, plan.Skipped.Take(ListLimit).ToList());
    }

    /// <summary>Imports the valid rows of the file. <paramref name="progress"/> gets 0–100 (percent of rows written).</summary>
    public async Task<CustomerImportResult> ImportAsync(UserScope user, byte[] content, string fileName, IProgress<int>? progress = null,
        CancellationToken ct = default)
    {
        if (Refuse(user, content) is { } refusal) return CustomerImportResult.Failed(refusal);
        var clock = Stopwatch.StartNew();
        var file = CustomerCsvFile.Parse(content);
        if (file.FileError is not null) return CustomerImportResult.Failed(file.FileError);
        progress?.Report(0);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false; // detected once per batch by SaveChanges instead of on every Add
        var plan = await PlanAsync(db, user, file, ct);
        var notes = new List<ImportRowIssue>();
        var totalRows = Math.Max(1, plan.Targets.Sum(t => t.Rows.Count));
        var done = 0;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await using (var inserter = await CustomerBulkInserter.CreateAsync(db, ct))
        {
            foreach (var target in plan.Targets.Where(t => t.ExistingId is null))
            {
                var first = target.Rows[0];
                var customer = new Customer { DealershipId = first.DealershipId, FirstName = first.FirstName, LastName = first.LastName };
                foreach (var row in target.Rows) Apply(customer, row, notes);
                await inserter.InsertAsync(customer, ct);
                done += target.Rows.Count;
                if (done % BatchSize < target.Rows.Count) progress?.Report(done * 100 / totalRows);
            }
        }

        foreach (var batch in plan.Targets.Where(t => t.ExistingId is not null).Chunk(BatchSize))
        {
            var ids = batch.Select(t => t.ExistingId!.Value).ToList();
            var customers = await db.Customers.Include(c => c.Phones).Include(c => c.Vehicles).Where(c => ids.Contains(c.Id))
                .AsSplitQuery().ToDictionaryAsync(c => c.Id, ct);
            foreach (var target in batch)
            {
                foreach (var row in target.Rows) Apply(customers[target.ExistingId!.Value], row, notes);
                done += target.Rows.Count;
            }
            await SaveBatchAsync(db, ct);
            progress?.Report(done * 100 / totalRows);
        }

        var created = plan.Targets.Count(t => t.ExistingId is null);
        var updated = plan.Targets.Sum(t => t.Rows.Count) - created;
        var skipped = plan.Skipped.Count;
        AuditLog.Add(db, time.GetUtcNow().UtcDateTime, user, AuditAction, nameof(Customer), null,
            $"{Path.GetFileName(fileName)}: {Common.Wording.Plural(file.Rows.Count, "row")}; {created} created, {updated} updated, {skipped} skipped" +
            (skipped > 0 ? " (lines " + string.Join(", ", plan.Skipped.Take(50).Select(s => s.Line)) + (skipped > 50 ? ", …" : "") + ")" : "") + ".");
        await SaveBatchAsync(db, ct);
        await transaction.CommitAsync(ct);
        progress?.Report(100);

        var message = $"{created} created, {updated} updated, {skipped} skipped.";
        return new(true, message, created, updated, skipped, plan.Skipped.Take(ListLimit).ToList(), notes.Take(ListLimit).ToList(), clock.Elapsed);
    }

    private static string? Refuse(UserScope user, byte[] content)
    {
        if (!user.IsInRole(Roles.Admin)) return "Only administrators can import customers.";
        if (content.LongLength > MaxFileBytes) return $"The file is larger than {MaxFileBytes / 1024 / 1024} MB. Split it into smaller files.";
        return null;
    }

    private static async Task SaveBatchAsync(KonnectDbContext db, CancellationToken ct)
    {
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear(); // a batch's entities are done with; tracking 50,000 customers would slow every later save
    }

    private sealed class Target(int? existingId)
    {
        public int? ExistingId { get; } = existingId;
        public List<ValidImportRow> Rows { get; } = [];
    }

    private sealed record Plan(List<Target> Targets, List<ImportRowIssue> Skipped,
        Dictionary<int, (ImportRowAction Action, IReadOnlyList<string>? Errors)> Outcomes);

    /// <summary>Validates every row and decides, for each valid one, which customer it creates or updates. Reads only.</summary>
    private static async Task<Plan> PlanAsync(KonnectDbContext db, UserScope user, CustomerCsvFile file, CancellationToken ct)
    {
        var dealerships = (await db.Dealerships.AsNoTracking().Select(d => new { d.Id, d.Code }).ToListAsync(ct))
            .Where(d => user.CanSee(d.Id))
            .ToDictionary(d => d.Code.Trim(), d => d.Id, StringComparer.OrdinalIgnoreCase);

        var skipped = new List<ImportRowIssue>();
        var outcomes = new Dictionary<int, (ImportRowAction, IReadOnlyList<string>?)>();
        var valid = new List<ValidImportRow>(file.Rows.Count);
        foreach (var row in file.Rows)
        {
            var (ok, errors) = CustomerImportRowValidator.Validate(row, dealerships);
            if (ok is null)
            {
                skipped.Add(new ImportRowIssue(row.Line, Name(row.FirstName, row.LastName), errors));
                outcomes[row.Line] = (ImportRowAction.Skip, errors);
            }
            else valid.Add(ok);
        }

        // Existing customers' numbers and emails in the file's dealerships, loaded once (no query per row).
        var dealershipIds = valid.Select(v => v.DealershipId).Distinct().ToList();
        var existing = new Dictionary<(int, string), List<int>>();
        void Index(int dealershipId, string key, int customerId)
        {
            if (!existing.TryGetValue((dealershipId, key), out var list)) existing[(dealershipId, key)] = list = [];
            if (!list.Contains(customerId)) list.Add(customerId);
        }
        var phones = await (from p in db.CustomerPhones
                            join c in db.Customers on p.CustomerId equals c.Id
                            where dealershipIds.Contains(c.DealershipId)
                            select new { c.DealershipId, p.Number, c.Id }).AsNoTracking().ToListAsync(ct);
        foreach (var p in phones) Index(p.DealershipId, "p:" + p.Number, p.Id);
        var emails = await db.Customers.AsNoTracking().Where(c => c.Email != null && dealershipIds.Contains(c.DealershipId))
            .Select(c => new { c.DealershipId, c.Email, c.Id }).ToListAsync(ct);
        foreach (var e in emails) Index(e.DealershipId, "e:" + e.Email!.ToLowerInvariant(), e.Id);

        var targets = new List<Target>();
        var existingTargets = new Dictionary<int, Target>();
        var inFile = new Dictionary<(int, string), Target>();
        foreach (var row in valid)
        {
            var keys = row.Phones.Select(p => "p:" + p.Number).Concat(row.Email is null ? [] : ["e:" + row.Email]).ToList();
            var candidates = new HashSet<object>();
            foreach (var key in keys)
            {
                if (inFile.TryGetValue((row.DealershipId, key), out var t)) candidates.Add(t);
                if (existing.TryGetValue((row.DealershipId, key), out var ids))
                    foreach (var id in ids) candidates.Add(existingTargets.TryGetValue(id, out var et) ? et : id);
            }
            if (candidates.Count > 1)
            {
                var message = "Its phone numbers or email match more than one customer " +
                              $"({string.Join(", ", candidates.Select(c => c is Target t ? t.ExistingId is { } id ? $"#{id}" : $"line {t.Rows[0].Line}" : $"#{c}"))}); " +
                              "it was not imported rather than guess which one to update.";
                skipped.Add(new ImportRowIssue(row.Line, Name(row.FirstName, row.LastName), [message]));
                outcomes[row.Line] = (ImportRowAction.Skip, [message]);
                continue;
            }
            var target = candidates.SingleOrDefault() switch
            {
                Target t => t,
                int id => existingTargets[id] = Added(new Target(id)),
                _ => Added(new Target(null)),
            };
            outcomes[row.Line] = (target.Rows.Count == 0 && target.ExistingId is null ? ImportRowAction.Create : ImportRowAction.Update, null);
            target.Rows.Add(row);
            foreach (var key in keys) inFile[(row.DealershipId, key)] = target;
        }
        skipped.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new Plan(targets, skipped, outcomes);

        Target Added(Target t)
        {
            targets.Add(t);
            return t;
        }
    }

    private static void Apply(Customer customer, ValidImportRow row, List<ImportRowIssue> notes)
    {
        if (row.Title is not null) customer.Title = row.Title;
        customer.FirstName = row.FirstName;
        customer.LastName = row.LastName;
        // An unsubscribe stays with the customer: a new address does not undo a "no".
        if (row.Email is not null) customer.Email = row.Email;

        List<string>? left = null;
        foreach (var (number, type) in row.Phones)
        {
            var phone = customer.Phones.FirstOrDefault(p => p.Number == number);
            if (phone is not null)
            {
                if (type is { } t) phone.Type = t;
                continue;
            }
            if (customer.Phones.Count >= Customer.MaxPhones)
            {
                (left ??= []).Add(PhoneNormaliser.Display(number));
                continue;
            }
            var position = Enumerable.Range(1, Customer.MaxPhones).First(n => customer.Phones.All(p => p.Position != n));
            customer.Phones.Add(new CustomerPhone { Number = number, Position = position, Type = type ?? GuessType(number) });
        }
        if (left is not null)
            notes.Add(new ImportRowIssue(row.Line, Name(row.FirstName, row.LastName),
                [$"Not added (the customer already has {Customer.MaxPhones} numbers): {string.Join(", ", left)}."]));

        if (row.Registration is null) return;
        var registrationKey = CsiFormats.RegistrationKey(row.Registration);
        var vehicle = (row.Vin is null ? null : customer.Vehicles.FirstOrDefault(v => v.Vin == row.Vin))
                      ?? customer.Vehicles.FirstOrDefault(v => CsiFormats.RegistrationKey(v.Registration) == registrationKey);
        if (vehicle is null) customer.Vehicles.Add(vehicle = new Vehicle());
        vehicle.Registration = row.Registration;
        if (row.Vin is not null) vehicle.Vin = row.Vin;
        if (row.Make is not null) vehicle.Make = row.Make;
        if (row.Model is not null) vehicle.Model = row.Model;
    }

    /// <summary>When the file gives no type: what the numbering plan says (mobile ranges are known), else Other.</summary>
    private static PhoneType GuessType(string e164)
    {
        try
        {
            return PhoneUtil.GetNumberType(PhoneUtil.Parse(e164, PhoneNormaliser.DefaultRegion)) switch
            {
                PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE => PhoneType.Mobile,
                PhoneNumberType.FIXED_LINE => PhoneType.Home,
                _ => PhoneType.Other,
            };
        }
        catch (NumberParseException)
        {
            return PhoneType.Other;
        }
    }

    private static string Name(string first, string last) => $"{first} {last}".Trim() is { Length: > 0 } n ? n : "(no name)";
}
