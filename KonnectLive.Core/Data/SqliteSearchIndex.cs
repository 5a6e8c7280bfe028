namespace KonnectLive.Core.Data;

/// <summary>
/// SQLite's index for "contains" search: FTS5 tables with the trigram tokenizer over <c>Customers.SearchName</c> and
/// <c>Vehicles.RegistrationKey</c> (external content: the text stays in the tables, the FTS tables hold only the index),
/// kept by triggers, so rows written any way — EF, raw SQL — are found. PostgreSQL uses pg_trgm GIN indexes instead.
/// A later SQLite migration that rebuilds Customers or Vehicles (EF copies the table and drops the old one, triggers
/// included) must run <see cref="Create"/> again.
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
