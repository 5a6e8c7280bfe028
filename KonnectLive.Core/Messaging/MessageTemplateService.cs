using FluentValidation;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KonnectLive.Core.Messaging;

public sealed record TemplateSaveResult(bool Succeeded, MessageTemplate? Template, IReadOnlyList<string> Errors);

/// <summary>A real record a preview can be rendered against.</summary>
public sealed record PreviewRecord(int Id, string Label, TemplateData Data);

/// <summary>Admins' template editing: validated by <see cref="MessageTemplateValidator"/>, audited, previewed against real records.</summary>
public sealed class MessageTemplateService(
    IDbContextFactory<KonnectDbContext> dbFactory,
    IValidator<MessageTemplate> validator,
    IOptions<MessagingOptions> options,
    UserAdminGuard guard,
    TimeProvider time)
{
    public const string AdminsOnly = "Only administrators can change templates.";

    public async Task<IReadOnlyList<MessageTemplate>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MessageTemplates.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
    }

    /// <summary>Creates (Id 0) or updates a template. Admins only, checked here against the database, not just the page's policy.</summary>
    public async Task<TemplateSaveResult> SaveAsync(UserScope user, MessageTemplate input, CancellationToken ct = default)
    {
        if (await guard.AdminAsync(user, ct) is null) return new(false, null, [AdminsOnly]);
        var validation = await validator.ValidateAsync(input, ct);
        if (!validation.IsValid) return new(false, null, validation.Errors.Select(e => e.ErrorMessage).Distinct().ToList());

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = input.Name.Trim();
        if (await db.MessageTemplates.AnyAsync(t => t.Name == name && t.Id != input.Id, ct))
            return new(false, null, [$"A template called '{name}' already exists."]);

        var now = time.GetUtcNow().UtcDateTime;
        MessageTemplate template;
        if (input.Id == 0)
        {
            template = new MessageTemplate();
            db.MessageTemplates.Add(template);
        }
        else
        {
            template = await db.MessageTemplates.SingleOrDefaultAsync(t => t.Id == input.Id, ct)
                       ?? throw new InvalidOperationException($"Template {input.Id} no longer exists.");
        }
        template.Name = name;
        template.Channel = input.Channel;
        template.Subject = input.Channel == MessageChannel.Email ? input.Subject?.Trim() : null;
        template.Body = input.Body;
        template.IsActive = input.IsActive;
        template.UpdatedAt = now;
        template.UpdatedBy = user.DisplayName;
        await db.SaveChangesAsync(ct);

        AuditLog.Add(db, now, user, input.Id == 0 ? "template.created" : "template.updated", nameof(MessageTemplate), template.Id.ToString(),
            $"{template.Name} ({template.Channel}, {(template.IsActive ? "active" : "inactive")}): {template.Subject}{(template.Subject is null ? "" : " · ")}{template.Body}");
        await db.SaveChangesAsync(ct);
        return new(true, template, []);
    }

    /// <summary>An inactive template queues nothing new, and messages already queued with it are skipped at send time.</summary>
    /// <exception cref="UnauthorizedAccessException">The user is not an enabled admin.</exception>
    public async Task SetActiveAsync(UserScope user, int templateId, bool active, CancellationToken ct = default)
    {
        _ = await guard.AdminAsync(user, ct) ?? throw new UnauthorizedAccessException(AdminsOnly);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var template = await db.MessageTemplates.SingleAsync(t => t.Id == templateId, ct);
        if (template.IsActive == active) return;
        var now = time.GetUtcNow().UtcDateTime;
        template.IsActive = active;
        template.UpdatedAt = now;
        template.UpdatedBy = user.DisplayName;
        AuditLog.Add(db, now, user, active ? "template.activated" : "template.deactivated", nameof(MessageTemplate), template.Id.ToString(), template.Name);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A few Awaiting records (the user's dealership, or all for head office) to preview against; any status if none is Awaiting.</summary>
    public async Task<IReadOnlyList<PreviewRecord>> PreviewRecordsAsync(UserScope user, int take = 20, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.SurveyRecords.AsNoTracking().Where(r => user.DealershipId == null || r.DealershipId == user.DealershipId);
        var awaiting = q.Where(r => r.Status == SurveyStatus.Awaiting);
        var source = await awaiting.AnyAsync(ct) ? awaiting : q;
        var rows = await source.OrderBy(r => r.Id).Take(take)
            .Select(r => new
            {
                r.Id, r.FocusRecordId, r.EventDate, r.Customer.Title, r.Customer.FirstName, r.Customer.LastName, Dealership = r.Dealership.Name,
                Make = r.Vehicle != null ? r.Vehicle.Make : null, Model = r.Vehicle != null ? r.Vehicle.Model : null,
                Registration = r.Vehicle != null ? r.Vehicle.Registration : null,
            }).ToListAsync(ct);
        return rows.Select(r => new PreviewRecord(r.Id, $"{r.FirstName} {r.LastName} · {r.Dealership} · {r.FocusRecordId}",
            new TemplateData(r.Title, r.FirstName, r.LastName, r.Dealership,
                string.Join(' ', new[] { r.Make, r.Model }.Where(s => !string.IsNullOrWhiteSpace(s))), r.Registration, r.FocusRecordId, r.EventDate)))
            .ToList();
    }

    public RenderedMessage Preview(MessageTemplate template, TemplateData data) =>
        TemplateRenderer.Render(template.Channel, template.Subject, template.Body ?? "", data, options.Value.SurveyLinkBase);
}
