namespace KonnectLive.Core.Data;

/// <summary>
/// SQLite's index for "contains" search: FTS5 tables with the trigram tokenizer over <c>Customers.SearchName</c> and
/// <c>Vehicles.RegistrationKey</c> (external content: the text stays in the tables, the FTS tables hold only the index),
/// kept by triggers, so rows written any way — EF, raw SQL — are found. PostgreSQL uses pg_trgm GIN indexes instead.
/// A later SQLite migration that rebuilds Customers or Vehicles (EF copies the table and drops the old one, triggers
/// included) must run <see cref="Create"/> and then <see cref="DeferrableInsertTriggers"/> again.
/// <para>The insert triggers stand aside while the transaction that writes has a row in <see cref="DeferralTable"/>: the
/// ingest's row writer sets it, inserts a table's rows, fills the index for all of them with one statement
/// (<see cref="FillCustomers"/>, <see cref="FillVehicles"/>) and clears it again — one FTS5 insert per row through a
/// trigger costs about three times as much as the same rows indexed in one statement. The row never outlives the
/// statement sequence, so no other connection ever sees it and every other writer keeps the triggers.</para>
/// </summary>
public static class SqliteSearchIndex
{
    public const string CustomerTable = "CustomerSearch";
    public const string VehicleTable = "VehicleSearch";

    public static readonly string Create = $"""
        CREATE VIRTUAL TABLE IF NOT EXISTS "{CustomerTable}" USING fts5("SearchName", content='Customers', content_rowid='Id', tokenize='trigram');
        CREATE TRIGGER IF NOT EXISTS "Customers_search_insert" AFTER INSERT ON "Customers" BEGIN
          INSERT INTO "{CustomerTable}"(rowid, "SearchName") VALUES (new."Id", new."SearchName"); END;
        CREATE TRIGGER IF NOT EXISTS "Customers_search_delete" AFTER DELETE ON "Customers" BEGIN
          INSERT INTO "{CustomerTable}"("{CustomerTable}", rowid, "SearchName") VALUES ('delete', old."Id", old."SearchName"); END;
        CREATE TRIGGER IF NOT EXISTS "Customers_search_update" AFTER UPDATE OF "SearchName" ON "Customers" BEGIN
          INSERT INTO "{CustomerTable}"("{CustomerTable}", rowid, "SearchName") VALUES ('delete', old."Id", old."SearchName");
          INSERT INTO "{CustomerTable}"(rowid, "SearchName") VALUES (new."Id", new."SearchName"); END;
        INSERT INTO "{CustomerTable}"("{CustomerTable}") VALUES ('rebuild');

        CREATE VIRTUAL TABLE IF NOT EXISTS "{VehicleTable}" USING fts5("RegistrationKey", content='Vehicles', content_rowid='Id', tokenize='trigram');
        CREATE TRIGGER IF NOT EXISTS "Vehicles_search_insert" AFTER INSERT ON "Vehicles" BEGIN
          INSERT INTO "{VehicleTable}"(rowid, "RegistrationKey") VALUES (new."Id", new."RegistrationKey"); END;
        CREATE TRIGGER IF NOT EXISTS "Vehicles_search_delete" AFTER DELETE ON "Vehicles" BEGIN
          INSERT INTO "{VehicleTable}"("{VehicleTable}", rowid, "RegistrationKey") VALUES ('delete', old."Id", old."RegistrationKey"); END;
        CREATE TRIGGER IF NOT EXISTS "Vehicles_search_update" AFTER UPDATE OF "RegistrationKey" ON "Vehicles" BEGIN
          INSERT INTO "{VehicleTable}"("{VehicleTable}", rowid, "RegistrationKey") VALUES ('delete', old."Id", old."RegistrationKey");
          INSERT INTO "{VehicleTable}"(rowid, "RegistrationKey") VALUES (new."Id", new."RegistrationKey"); END;
        INSERT INTO "{VehicleTable}"("{VehicleTable}") VALUES ('rebuild');
        """;

    public const string DeferralTable = "SearchIndexDeferral";

    /// <summary>The insert triggers, standing aside while <see cref="DeferralTable"/> has a row (see the class summary).</summary>
    public static readonly string DeferrableInsertTriggers = $"""
        CREATE TABLE IF NOT EXISTS "{DeferralTable}" ("Id" INTEGER NOT NULL PRIMARY KEY);
        DROP TRIGGER IF EXISTS "Customers_search_insert";
        CREATE TRIGGER "Customers_search_insert" AFTER INSERT ON "Customers" WHEN NOT EXISTS (SELECT 1 FROM "{DeferralTable}") BEGIN
          INSERT INTO "{CustomerTable}"(rowid, "SearchName") VALUES (new."Id", new."SearchName"); END;
        DROP TRIGGER IF EXISTS "Vehicles_search_insert";
        CREATE TRIGGER "Vehicles_search_insert" AFTER INSERT ON "Vehicles" WHEN NOT EXISTS (SELECT 1 FROM "{DeferralTable}") BEGIN
          INSERT INTO "{VehicleTable}"(rowid, "RegistrationKey") VALUES (new."Id", new."RegistrationKey"); END;
        """;

    /// <summary>Back to the insert triggers as <see cref="Create"/> made them.</summary>
    public static readonly string PlainInsertTriggers = $"""
        DROP TRIGGER IF EXISTS "Customers_search_insert";
        CREATE TRIGGER "Customers_search_insert" AFTER INSERT ON "Customers" BEGIN
          INSERT INTO "{CustomerTable}"(rowid, "SearchName") VALUES (new."Id", new."SearchName"); END;
        DROP TRIGGER IF EXISTS "Vehicles_search_insert";
        CREATE TRIGGER "Vehicles_search_insert" AFTER INSERT ON "Vehicles" BEGIN
          INSERT INTO "{VehicleTable}"(rowid, "RegistrationKey") VALUES (new."Id", new."RegistrationKey"); END;
        DROP TABLE IF EXISTS "{DeferralTable}";
        """;

    public const string Defer = "INSERT OR IGNORE INTO \"" + DeferralTable + "\" (\"Id\") VALUES (1)";
    public const string EndDeferral = "DELETE FROM \"" + DeferralTable + "\"";

    /// <summary>Indexes the customers whose ids are in the JSON array parameter <c>$ids</c>.</summary>
    public const string FillCustomers =
        $"""INSERT INTO "{CustomerTable}"(rowid, "SearchName") SELECT "Id", "SearchName" FROM "Customers" WHERE "Id" IN (SELECT value FROM json_each($ids))""";

    /// <summary>Indexes the vehicles whose ids are in the JSON array parameter <c>$ids</c>.</summary>
    public const string FillVehicles =
        $"""INSERT INTO "{VehicleTable}"(rowid, "RegistrationKey") SELECT "Id", "RegistrationKey" FROM "Vehicles" WHERE "Id" IN (SELECT value FROM json_each($ids))""";

    public const string Drop = """
        DROP TRIGGER IF EXISTS "Customers_search_insert";
        DROP TRIGGER IF EXISTS "Customers_search_delete";
        DROP TRIGGER IF EXISTS "Customers_search_update";
        DROP TABLE IF EXISTS "CustomerSearch";
        DROP TRIGGER IF EXISTS "Vehicles_search_insert";
        DROP TRIGGER IF EXISTS "Vehicles_search_delete";
        DROP TRIGGER IF EXISTS "Vehicles_search_update";
        DROP TABLE IF EXISTS "VehicleSearch";
        """;
}
