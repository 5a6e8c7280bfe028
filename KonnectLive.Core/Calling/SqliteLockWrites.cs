using System.Data.Common;
using KonnectLive.Core.Surveys;
using KonnectLive.Core.Users;

namespace KonnectLive.Core.Calling;

/// <summary>
/// The hot lock writes (a claim and a release, each with its audit row, and a renewal) as plain SQL on SQLite, run by the
/// <see cref="LockWriteGate"/>'s writer inside the transaction of its group (they never commit themselves). Every lock
/// write of the process goes through that one writer, so whatever runs there sets the rate for all agents: the same
/// statements EF generates, but without EF's query pipeline and change tracker. The conditions are exactly those of the
/// EF path that PostgreSQL runs (<see cref="CallLockService"/>), and each is decided by its own conditional UPDATE, so
/// a write sees the writes before it in the same group exactly as it would have seen them committed.
/// </summary>
internal static class SqliteLockWrites
{
    public sealed record Claimed(int DealershipId, int CustomerId, bool NewlyTaken, string Customer);

    private const string ClaimSql = """
        UPDATE "SurveyRecords" SET
            "LockAcquiredAt" = CASE WHEN "LockHolderId" = @me AND "LockToken" = @page THEN "LockAcquiredAt" ELSE @now END,
            "LockHolderId" = @me, "LockHolderName" = @name, "LockToken" = @page, "LockExpiresAt" = @expires
        WHERE "Id" = @id AND "Status" = @awaiting
          AND (@dealership IS NULL OR "DealershipId" = @dealership)
          AND ("LockHolderId" IS NULL OR "LockExpiresAt" <= @now OR ("LockHolderId" = @me AND "LockToken" = @page))
          AND ("ReservedUntil" IS NULL OR "ReservedUntil" <= @now OR "CallbackAgentId" = @me OR "CallbackDueAt" > @now)
          AND NOT EXISTS (SELECT 1 FROM "SurveyRecords" AS o WHERE o."LockHolderId" = @me AND o."Id" <> @id)
        RETURNING "DealershipId", "CustomerId", "LockAcquiredAt" = @now
        """;

    private const string CustomerSql = """
        SELECT COALESCE("Title" || ' ', '') || "FirstName" || ' ' || "LastName" FROM "Customers" WHERE "Id" = @id
        """;

    private const string ReleaseSql = """
        UPDATE "SurveyRecords" SET "LockHolderId" = NULL, "LockHolderName" = NULL, "LockToken" = NULL, "LockAcquiredAt" = NULL, "LockExpiresAt" = NULL
        WHERE "Id" = @id AND "LockHolderId" = @me AND "LockToken" = @page
        RETURNING "DealershipId", "CustomerId"
        """;

    private const string RenewSql = """
        UPDATE "SurveyRecords" SET "LockExpiresAt" = @expires
        WHERE "Id" = @id AND "LockHolderId" = @me AND "LockToken" = @page AND "Status" = @awaiting
        """;

    private const string AuditSql = """
        INSERT INTO "AuditEntries" ("At", "UserId", "UserName", "Action", "EntityType", "EntityId", "CustomerId", "Details")
        VALUES (@at, @user, @userName, @action, @entityType, @entityId, @customer, @details)
        """;

    /// <summary>The claim and, when the record was newly taken, its audit row, in the writer's transaction. Null when the claim lost.</summary>
    public static Claimed? Claim(DbConnection connection, DbTransaction tx, UserScope agent, int recordId, string pageToken, DateTime now,
        DateTime expires)
    {
        int dealershipId, customerId;
        bool newlyTaken;
        using (var claim = Command(connection, tx, ClaimSql))
        {
            Add(claim, "@me", agent.UserId);
            Add(claim, "@name", agent.DisplayName);
            Add(claim, "@page", pageToken);
            Add(claim, "@now", now);
            Add(claim, "@expires", expires);
            Add(claim, "@id", recordId);
            Add(claim, "@awaiting", nameof(SurveyStatus.Awaiting));
            Add(claim, "@dealership", agent.DealershipId);
            using var row = claim.ExecuteReader();
            if (!row.Read()) return null;
            dealershipId = row.GetInt32(0);
            customerId = row.GetInt32(1);
            newlyTaken = row.GetBoolean(2);
        }
        string customer;
        using (var name = Command(connection, tx, CustomerSql))
        {
            Add(name, "@id", customerId);
            customer = (string?)name.ExecuteScalar() ?? "";
        }
        if (newlyTaken)
            Audit(connection, tx, now, agent, CallLockService.AcquiredAction, recordId, customerId, $"Opened {customer}.");
        return new Claimed(dealershipId, customerId, newlyTaken, customer);
    }

    /// <summary>Clears the page's lock and writes its audit row, in the writer's transaction. Null when the page held nothing.</summary>
    public static (int DealershipId, int CustomerId)? Release(DbConnection connection, DbTransaction tx, UserScope agent, int recordId,
        string pageToken, DateTime now)
    {
        int dealershipId, customerId;
        using (var release = Command(connection, tx, ReleaseSql))
        {
            Add(release, "@id", recordId);
            Add(release, "@me", agent.UserId);
            Add(release, "@page", pageToken);
            using var row = release.ExecuteReader();
            if (!row.Read()) return null;
            dealershipId = row.GetInt32(0);
            customerId = row.GetInt32(1);
        }
        Audit(connection, tx, now, agent, CallLockService.ReleasedAction, recordId, customerId, "Gave the customer back.");
        return (dealershipId, customerId);
    }

    /// <summary>Extends the page's lease (not audited). False when this page no longer holds an Awaiting record.</summary>
    public static bool Renew(DbConnection connection, DbTransaction tx, UserScope agent, int recordId, string pageToken, DateTime expires)
    {
        using var renew = Command(connection, tx, RenewSql);
        Add(renew, "@expires", expires);
        Add(renew, "@id", recordId);
        Add(renew, "@me", agent.UserId);
        Add(renew, "@page", pageToken);
        Add(renew, "@awaiting", nameof(SurveyStatus.Awaiting));
        return renew.ExecuteNonQuery() == 1;
    }

    private static void Audit(DbConnection connection, DbTransaction tx, DateTime at, UserScope agent, string action, int recordId, int customerId,
        string details)
    {
        using var audit = Command(connection, tx, AuditSql);
        Add(audit, "@at", at);
        Add(audit, "@user", agent.UserId);
        Add(audit, "@userName", agent.DisplayName);
        Add(audit, "@action", action);
        Add(audit, "@entityType", nameof(SurveyRecord));
        Add(audit, "@entityId", recordId.ToString());
        Add(audit, "@customer", customerId);
        Add(audit, "@details", details.Length > 4000 ? details[..4000] : details);
        audit.ExecuteNonQuery();
    }

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }
}
