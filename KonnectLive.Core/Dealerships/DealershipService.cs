using FluentValidation;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Dealerships;

/// <summary>Configuration → Dealerships: list, create and edit. Dealerships are not deleted: users, customers and records point at them.</summary>
public sealed class DealershipService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    UserAdminGuard guard,
    IValidator<DealershipInput> validator,
    TimeProvider time)
{
    private const string Entity = "Dealership";
    private const string Forbidden = "Only administrators can change dealerships.";
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Every dealership by name. Anyone signed in may read them (forms and filters need the names).</summary>
    public async Task<IReadOnlyList<DealershipRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Dealerships.AsNoTracking()
            .OrderBy(d => d.Name)
            .Select(d => new DealershipRow(d.Id, d.Code, d.Name, d.TimeZone, d.SendFrom, d.SendUntil, db.Users.Count(u => u.DealershipId == d.Id)))
            .ToListAsync(ct);
    }

    public async Task<DealershipSaveResult> CreateAsync(DealershipInput input, UserScope? by, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return new(DealershipSaveOutcome.Forbidden, Forbidden, []);
        if (await ValidateAsync(input, ct) is { } invalid) return invalid;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var code = input.Code.Trim();
        if (await CodeTakenAsync(db, code, null, ct)) return CodeTaken(code);
        var dealership = new Dealership
        {
            Code = code, Name = input.Name.Trim(), TimeZone = input.TimeZone.Trim(), SendFrom = input.SendFrom, SendUntil = input.SendUntil,
        };
        db.Dealerships.Add(dealership);
        AuditLog.Add(db, Now, admin, "dealership.created", Entity, code,
            $"Created dealership {dealership.Name} ({code}): time zone {dealership.TimeZone}; sending hours {SendingHoursText.Describe(dealership.SendFrom, dealership.SendUntil)}.");
        if (!await TrySaveAsync(db, ct)) return CodeTaken(code);
        return new(DealershipSaveOutcome.Saved, $"Dealership {dealership.Name} created.", [], dealership.Id);
    }

    /// <remarks>A new code must be what FOCUS sends from now on: records are matched to dealerships by code.</remarks>
    public async Task<DealershipSaveResult> UpdateAsync(int id, DealershipInput input, UserScope? by, CancellationToken ct = default)
    {
        var admin = await guard.AdminAsync(by, ct);
        if (admin is null) return new(DealershipSaveOutcome.Forbidden, Forbidden, []);
        if (await ValidateAsync(input, ct) is { } invalid) return invalid;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dealership = await db.Dealerships.SingleOrDefaultAsync(d => d.Id == id, ct);
        if (dealership is null) return new(DealershipSaveOutcome.NotFound, "That dealership no longer exists.", []);
        var code = input.Code.Trim();
        if (await CodeTakenAsync(db, code, id, ct)) return CodeTaken(code);

        var changes = new List<string>();
        void Compare<T>(string name, T before, T after, Func<T, string> show)
        {
            if (!EqualityComparer<T>.Default.Equals(before, after)) changes.Add($"{name} {show(before)} → {show(after)}");
        }
        Compare("code", dealership.Code, code, s => s);
        Compare("name", dealership.Name, input.Name.Trim(), s => $"'{s}'");
        Compare("time zone", dealership.TimeZone, input.TimeZone.Trim(), s => s);
        Compare("sending hours", (dealership.SendFrom, dealership.SendUntil), (input.SendFrom, input.SendUntil), h => SendingHoursText.Describe(h.Item1, h.Item2));
        if (changes.Count == 0) return new(DealershipSaveOutcome.Unchanged, "Nothing to save: no changes.", [], id);

        var oldCode = dealership.Code;
        dealership.Code = code;
        dealership.Name = input.Name.Trim();
        dealership.TimeZone = input.TimeZone.Trim();
        dealership.SendFrom = input.SendFrom;
        dealership.SendUntil = input.SendUntil;
        AuditLog.Add(db, Now, admin, "dealership.updated", Entity, oldCode, $"Updated dealership {dealership.Name}: {string.Join("; ", changes)}.");
        if (!await TrySaveAsync(db, ct)) return CodeTaken(code);
        return new(DealershipSaveOutcome.Saved, $"Dealership {dealership.Name} saved.", [], id);
    }

    private async Task<DealershipSaveResult?> ValidateAsync(DealershipInput input, CancellationToken ct)
    {
        var result = await validator.ValidateAsync(input, ct);
        if (result.IsValid) return null;
        var errors = result.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList();
        return new(DealershipSaveOutcome.Invalid, "Not saved: " + string.Join(" ", errors.Select(e => e.ErrorMessage)), errors);
    }

    // FOCUS codes match case-insensitively on ingest, so uniqueness is case-insensitive too.
    private static Task<bool> CodeTakenAsync(KonnectDbContext db, string code, int? exceptId, CancellationToken ct) =>
        db.Dealerships.AnyAsync(d => d.Code.ToUpper() == code.ToUpper() && d.Id != exceptId, ct);

    private static DealershipSaveResult CodeTaken(string code) =>
        new(DealershipSaveOutcome.Invalid, $"The code {code} is already used by another dealership.",
            [(nameof(DealershipInput.Code), $"The code {code} is already used by another dealership.")]);

    /// <summary>The unique index is the backstop when two admins take the same code at once.</summary>
    private static async Task<bool> TrySaveAsync(KonnectDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            return false;
        }
    }
}
