using System.Data.Common;
using System.Diagnostics;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Data;
using KonnectLive.Core.Messaging;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace KonnectLive.Core.Inbound.Ingest;

/// <summary>
/// Saves a batch's changes with the rows it adds written set-based, not one change-tracked INSERT … RETURNING at a time
/// (which was 84–88 % of a batch): the customers, numbers, vehicles, survey records, history rows, scheduled messages
/// and audit rows the batch added are written table by table, parents first, in the batch's transaction —
/// <list type="bullet">
/// <item>SQLite: one prepared INSERT per table, re-executed for every row, its id from <c>RETURNING</c>;</item>
/// <item>PostgreSQL: the table's ids taken from its identity sequence in one query, then multi-row INSERTs.</item>
/// </list>
/// The columns, their conversions and parameter types come from the EF model (the same as EF would send), the search
/// keys are filled as <see cref="KonnectDbContext.SaveChanges(bool)"/> fills them, and the written entities are left
/// Unchanged with their real ids and foreign keys, so later steps (message planning, the audit of proposals) see them as
/// saved. Whatever else changed (existing rows updated; anything of another type added) goes through EF's SaveChanges.
/// </summary>
internal static class IngestRowWriter
{
    /// <summary>Parents before children.</summary>
    private static readonly Type[] Order =
    [
        typeof(Customer), typeof(CustomerPhone), typeof(Vehicle), typeof(SurveyRecord), typeof(SurveyStatusChange),
        typeof(ScheduledMessage), typeof(AuditEntry),
    ];

    /// <summary>PostgreSQL's limit is 65,535 parameters per statement.</summary>
    private const int MaxParameters = 30_000;

    /// <summary>
    /// Writes the batch's changes. The caller has run <see cref="ChangeTracker.DetectChanges"/> since its last change (the
    /// ingest turns automatic detection off and detects once per step), so it is not run again here.
    /// </summary>
    public static Task SaveAsync(KonnectDbContext db, CancellationToken ct, IngestSteps? steps = null) => SaveAsync(db, [], ct, steps);

    /// <summary>
    /// As <see cref="SaveAsync(KonnectDbContext, CancellationToken, IngestSteps?)"/>, plus new rows the change tracker never
    /// saw: <paramref name="untracked"/> are new entities (the ingest's new customers and survey records) whose whole graph
    /// below them — a customer's numbers and vehicles, a record's history — is new too. They are written from the objects,
    /// with the same columns and search keys, after the tracked rows of their table; each gets its id on the object and
    /// its children their foreign key, and none of them is ever tracked (thousands of tracked entities are what made EF's
    /// change detection, key fix-up and accepting a quarter of a batch). Their reference navigations may point at tracked
    /// or untracked entities written before them.
    /// </summary>
    public static async Task SaveAsync(KonnectDbContext db, IReadOnlyCollection<object> untracked, CancellationToken ct, IngestSteps? steps = null)
    {
        SearchKeys.Refresh(db.ChangeTracker);
        var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added)
            .GroupBy(e => e.Metadata.ClrType).ToDictionary(g => g.Key, g => g.OrderBy(TrackedOrder).ToList());
        var plain = PlainRows(db, untracked);
        steps?.Mark("search keys");
        var written = new List<EntityEntry>();
        foreach (var type in Order)
        {
            if (added.TryGetValue(type, out var entries))
            {
                var detail = await InsertAsync(db, entries[0].Metadata, TrackedRows(entries), ct);
                steps?.Mark($"insert {entries.Count} {type.Name}{detail}");
                written.AddRange(entries);
            }
            if (plain.TryGetValue(type, out var objects))
            {
                var detail = await InsertAsync(db, db.Model.FindEntityType(type)!, UntrackedRows(db, objects), ct);
                steps?.Mark($"insert {objects.Count} new {type.Name}{detail}");
            }
        }
        foreach (var entry in written)
        {
            // As EF accepts a saved row: what is stored becomes the original values, so a later DetectChanges sees no change.
            entry.OriginalValues.SetValues(entry.CurrentValues);
            entry.State = EntityState.Unchanged;
        }
        steps?.Mark("accept");
        // Existing rows that now point at a new one (a record's new vehicle) take its real id before EF writes them.
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State is EntityState.Modified or EntityState.Added))
            ResolveForeignKeys(entry);
        await db.SaveChangesAsync(ct);
        steps?.Mark("ef save");
    }

    /// <summary>
    /// EF inserts a table's new rows in the order of their temporary keys, which is the order they were tracked (the change
    /// tracker's own enumeration is not): written in the same order, each row gets the id EF's SaveChanges would give it.
    /// </summary>
    private static long TrackedOrder(EntityEntry entry) =>
        entry.Metadata.FindPrimaryKey() is { Properties: [var key] } && entry.Property(key.Name) is { IsTemporary: true, CurrentValue: int or long } p
            ? Convert.ToInt64(p.CurrentValue) : 0;

    /// <summary>One table's new rows as the writer reads them: tracked entries or plain objects.</summary>
    private abstract class Rows(Type type)
    {
        public Type Type { get; } = type;
        public abstract int Count { get; }
        public abstract object? Value(int row, Column column);
        public abstract void SetId(int row, IProperty key, object id);
        public abstract void ResolveForeignKeys();
    }

    private static Rows TrackedRows(List<EntityEntry> entries) => new Tracked(entries);

    private sealed class Tracked(List<EntityEntry> entries) : Rows(entries[0].Metadata.ClrType)
    {
        public override int Count => entries.Count;
        public override object? Value(int row, Column column) => column.ModelValue(entries[row]);
        public override void SetId(int row, IProperty key, object id) => SetKey(entries[row], key, id);
        public override void ResolveForeignKeys()
        {
            foreach (var entry in entries) IngestRowWriter.ResolveForeignKeys(entry);
        }
    }

    private static Rows UntrackedRows(KonnectDbContext db, List<object> objects) => new Untracked(db, objects);

    /// <summary>
    /// Entities the change tracker never saw. Before their table is written, each foreign key with a navigation takes the id
    /// of the entity it points at (written earlier, tracked or not); once a row has its id, its children in collections
    /// (untracked and new like it) take it as their foreign key.
    /// </summary>
    private sealed class Untracked(KonnectDbContext db, List<object> objects) : Rows(objects[0].GetType())
    {
        private readonly IEntityType _type = db.Model.FindEntityType(objects[0].GetType())!;

        public override int Count => objects.Count;
        public override object? Value(int row, Column column) => column.ObjectValue(objects[row]);

        public override void SetId(int row, IProperty key, object id)
        {
            var entity = objects[row];
            var value = Convert.ChangeType(id, key.ClrType, System.Globalization.CultureInfo.InvariantCulture);
            key.PropertyInfo!.SetValue(entity, value);
            foreach (var fk in _type.GetReferencingForeignKeys())
            {
                if (fk.PrincipalToDependent is not { IsCollection: true } navigation) continue;
                if (navigation.GetGetter().GetClrValueUsingContainingEntity(entity) is not System.Collections.IEnumerable children) continue;
                foreach (var child in children) fk.Properties[0].PropertyInfo!.SetValue(child, value);
            }
        }

        public override void ResolveForeignKeys()
        {
            foreach (var fk in _type.GetForeignKeys())
            {
                if (fk.DependentToPrincipal is not { } navigation) continue;
                var getter = navigation.GetGetter();
                foreach (var entity in objects)
                {
                    if (getter.GetClrValueUsingContainingEntity(entity) is not { } principal) continue;
                    fk.Properties[0].PropertyInfo!.SetValue(entity, KeyOf(principal, fk));
                }
            }
        }

        private object KeyOf(object principal, IForeignKey fk)
        {
            var key = fk.PrincipalKey.Properties[0];
            var value = key.GetGetter().GetClrValueUsingContainingEntity(principal);
            if (value is null || value.Equals(Activator.CreateInstance(key.ClrType)))
            {
                // A tracked principal may still hold its id beside the object; an untracked one must have been written.
                var entry = db.Entry(principal);
                if (entry.State != EntityState.Detached && !entry.Property(key.Name).IsTemporary) value = entry.Property(key.Name).CurrentValue;
                else throw new InvalidOperationException($"{_type.DisplayName()} refers to a {fk.PrincipalEntityType.DisplayName()} that was not written first.");
            }
            return value!;
        }
    }

    /// <summary>The untracked roots and every entity below them in collections, by type, each once, in the order found.</summary>
    private static Dictionary<Type, List<object>> PlainRows(KonnectDbContext db, IReadOnlyCollection<object> roots)
    {
        var byType = new Dictionary<Type, List<object>>();
        if (roots.Count == 0) return byType;
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        void Visit(object entity)
        {
            if (!seen.Add(entity)) return;
            var type = entity.GetType();
            (byType.TryGetValue(type, out var list) ? list : byType[type] = []).Add(entity);
            foreach (var navigation in db.Model.FindEntityType(type)!.GetNavigations())
            {
                if (!navigation.IsCollection || navigation.IsOnDependent) continue;
                if (navigation.GetGetter().GetClrValueUsingContainingEntity(entity) is System.Collections.IEnumerable children)
                    foreach (var child in children) Visit(child);
            }
        }
        foreach (var root in roots) Visit(root);
        if (byType.Keys.FirstOrDefault(t => !Order.Contains(t)) is { } other)
            throw new InvalidOperationException($"The ingest writer does not write untracked {other.Name} rows.");
        return byType;
    }

    /// <returns>On SQLite, where the table's time went (for the batch's step log).</returns>
    private static async Task<string> InsertAsync(KonnectDbContext db, IEntityType type, Rows entries, CancellationToken ct)
    {
        var table = TableOf(type);
        entries.ResolveForeignKeys();
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                          ?? throw new InvalidOperationException("The ingest writes its rows inside the batch's transaction.");
        try
        {
            if (!db.Database.IsNpgsql()) return InsertSqlite(connection, transaction, table, entries, ct);
            await InsertPostgreSqlAsync(connection, transaction, table, entries, ct);
            return "";
        }
        catch (DbException ex)
        {
            // As EF reports a failed save (UniqueViolation reads it, the ingest retries a clash once on fresh data).
            throw new DbUpdateException($"Writing the batch's {type.DisplayName()} rows failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// One prepared statement, executed per row (SQLite is in-process: a row costs microseconds, not a round trip). Returns
    /// how the time split between reading the values, SQLite's execution (triggers and indexes included) and giving EF the ids.
    /// </summary>
    private static string InsertSqlite(DbConnection connection, DbTransaction transaction, Table table, Rows entries,
        CancellationToken ct)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) " +
                              $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"@p{i}"))}) RETURNING {table.Key.Name}";
        var parameters = table.Columns.Select((c, i) => c.Mapping.CreateParameter(command, $"@p{i}", null, c.Property.IsNullable)).ToArray();
        command.Parameters.AddRange(parameters);
        command.Prepare();
        var searchFill = SearchFillOf(entries.Type);
        if (searchFill is not null) Execute(connection, transaction, SqliteSearchIndex.Defer);
        var ids = searchFill is null ? null : new List<long>(entries.Count);
        long values = 0, execute = 0, keys = 0, search = 0;
        try
        {
            for (var row = 0; row < entries.Count; row++)
            {
                ct.ThrowIfCancellationRequested();
                var t0 = Stopwatch.GetTimestamp();
                for (var i = 0; i < parameters.Length; i++) parameters[i].Value = table.Columns[i].ToProvider(entries.Value(row, table.Columns[i]));
                var t1 = Stopwatch.GetTimestamp();
                var id = command.ExecuteScalar()!;
                var t2 = Stopwatch.GetTimestamp();
                entries.SetId(row, table.Key.Property, id);
                ids?.Add(Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture));
                var t3 = Stopwatch.GetTimestamp();
                values += t1 - t0; execute += t2 - t1; keys += t3 - t2;
            }
            if (searchFill is not null)
            {
                var t4 = Stopwatch.GetTimestamp();
                Execute(connection, transaction, searchFill, ("$ids", System.Text.Json.JsonSerializer.Serialize(ids)));
                search = Stopwatch.GetTimestamp() - t4;
            }
        }
        finally
        {
            // The triggers index every other writer's rows again; the row never reaches a commit.
            if (searchFill is not null) Execute(connection, transaction, SqliteSearchIndex.EndDeferral);
        }
        static long Ms(long ticks) => ticks * 1000 / Stopwatch.Frequency;
        return $" (values {Ms(values)}, sqlite {Ms(execute)}, ids {Ms(keys)}" + (searchFill is null ? ")" : $", search index {Ms(search)})");
    }

    /// <summary>
    /// Customers and vehicles feed SQLite's trigram search index: their rows are indexed in one statement after the table's
    /// inserts, with the per-row triggers standing aside meanwhile (<see cref="SqliteSearchIndex"/>).
    /// </summary>
    private static string? SearchFillOf(Type type) =>
        type == typeof(Customer) ? SqliteSearchIndex.FillCustomers : type == typeof(Vehicle) ? SqliteSearchIndex.FillVehicles : null;

    private static void Execute(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) AddParameter(command, name, value);
        command.ExecuteNonQuery();
    }

    /// <summary>The ids from the identity sequence in one query, then as many rows per INSERT as the parameter limit allows.</summary>
    private static async Task InsertPostgreSqlAsync(DbConnection connection, DbTransaction transaction, Table table, Rows entries,
        CancellationToken ct)
    {
        await using (var ids = connection.CreateCommand())
        {
            ids.Transaction = transaction;
            ids.CommandText = $"SELECT nextval(pg_get_serial_sequence(@table, @column)) FROM generate_series(1, @count)";
            AddParameter(ids, "@table", table.Name);
            AddParameter(ids, "@column", table.Key.StoreName);
            AddParameter(ids, "@count", entries.Count);
            await using var reader = await ids.ExecuteReaderAsync(ct);
            var i = 0;
            while (await reader.ReadAsync(ct)) entries.SetId(i++, table.Key.Property, reader.GetInt64(0));
        }

        var columns = table.Columns.Prepend(table.Key).ToList();
        var perStatement = Math.Max(1, MaxParameters / columns.Count);
        foreach (var chunk in Enumerable.Range(0, entries.Count).Chunk(perStatement))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new System.Text.StringBuilder($"INSERT INTO {table.Name} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ");
            var n = 0;
            for (var row = 0; row < chunk.Length; row++)
            {
                sql.Append(row == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Count; c++, n++)
                {
                    if (c > 0) sql.Append(", ");
                    sql.Append("@p").Append(n);
                    var column = columns[c];
                    command.Parameters.Add(column.Mapping.CreateParameter(command, $"@p{n}", entries.Value(chunk[row], column), column.Property.IsNullable));
                }
                sql.Append(')');
            }
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    private static void SetKey(EntityEntry entry, IProperty key, object id)
    {
        var property = entry.Property(key.Name);
        property.CurrentValue = Convert.ChangeType(id, key.ClrType, System.Globalization.CultureInfo.InvariantCulture);
        property.IsTemporary = false;
        // Children reached through a collection (a customer's numbers, a record's history) take the new id now.
        foreach (var fk in entry.Metadata.GetReferencingForeignKeys())
        {
            if (fk.PrincipalToDependent is not { IsCollection: true } navigation) continue;
            if (entry.Navigation(navigation.Name).CurrentValue is not System.Collections.IEnumerable children) continue;
            foreach (var child in children)
            {
                var childEntry = entry.Context.Entry(child);
                if (childEntry.State != EntityState.Added) continue;
                SetForeignKey(childEntry, fk, entry);
            }
        }
    }

    /// <summary>Foreign keys still holding EF's temporary value, taken from the principal the entity's navigation points at.</summary>
    private static void ResolveForeignKeys(EntityEntry entry)
    {
        foreach (var fk in entry.Metadata.GetForeignKeys())
        {
            var property = entry.Property(fk.Properties[0].Name);
            if (!property.IsTemporary) continue;
            if (fk.DependentToPrincipal is { } navigation && entry.Reference(navigation.Name).CurrentValue is { } principal)
                SetForeignKey(entry, fk, entry.Context.Entry(principal));
            if (property.IsTemporary)
                throw new InvalidOperationException($"{entry.Metadata.DisplayName()}.{property.Metadata.Name} refers to a row that was not written first.");
        }
    }

    private static void SetForeignKey(EntityEntry dependent, IForeignKey fk, EntityEntry principal)
    {
        for (var i = 0; i < fk.Properties.Count; i++)
        {
            var property = dependent.Property(fk.Properties[i].Name);
            var value = principal.Property(fk.PrincipalKey.Properties[i].Name).CurrentValue;
            if (!Equals(property.CurrentValue, value)) property.CurrentValue = value;
            property.IsTemporary = false;
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IEntityType, Table> Tables = new();

    private static Table TableOf(IEntityType type) => Tables.GetOrAdd(type, t =>
    {
        var store = StoreObjectIdentifier.Table(t.GetTableName()!, t.GetSchema());
        var key = t.FindPrimaryKey()!.Properties.Single();
        if (key.ValueGenerated != ValueGenerated.OnAdd)
            throw new InvalidOperationException($"{t.DisplayName()}: the ingest writer expects a generated id.");
        Column ColumnOf(IProperty p) => new(p, Quote(p.GetColumnName(store)!), p.GetColumnName(store)!, p.GetRelationalTypeMapping());
        var columns = t.GetProperties().Where(p => p != key).Select(ColumnOf).ToList();
        if (columns.Any(c => c.Property.ValueGenerated != ValueGenerated.Never || c.Property.GetComputedColumnSql() is not null))
            throw new InvalidOperationException($"{t.DisplayName()}: the ingest writer writes every column; a generated column needs handling here.");
        var name = t.GetSchema() is { } schema ? $"{Quote(schema)}.{Quote(store.Name)}" : Quote(store.Name);
        return new Table(name, ColumnOf(key), columns);
    });

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"")}\"";

    private sealed record Table(string Name, Column Key, List<Column> Columns);

    private sealed record Column(IProperty Property, string Name, string StoreName, RelationalTypeMapping Mapping)
    {
        /// <summary>
        /// Plain columns straight from the object (EF's compiled getter); keys and foreign keys, which EF may hold as temporary
        /// values beside the object until they are resolved, and shadow properties through the change tracker.
        /// </summary>
        private readonly IClrPropertyGetter? _getter =
            Property.IsShadowProperty() || Property.IsKey() || Property.IsForeignKey() ? null : Property.GetGetter();

        public object? ModelValue(EntityEntry entry) =>
            _getter is { } getter ? getter.GetClrValueUsingContainingEntity(entry.Entity) : entry.Property(Property).CurrentValue;

        /// <summary>Every column of an untracked entity is on the object (it has no temporary values and no shadow properties).</summary>
        private readonly IClrPropertyGetter? _objectGetter = Property.IsShadowProperty() ? null : Property.GetGetter();

        /// <summary>The search keys, which EF's save would fill (<see cref="SearchKeys.Refresh"/>), from the object's other values.</summary>
        private readonly Func<object, object?>? _searchKey = SearchKeyOf(Property);

        public object? ObjectValue(object entity) =>
            _searchKey is { } key ? key(entity)
            : _objectGetter is { } getter ? getter.GetClrValueUsingContainingEntity(entity)
            : throw new InvalidOperationException($"{Property.DeclaringType.DisplayName()}.{Property.Name} is a shadow property: write the row tracked.");

        /// <summary>As EF sends it: the model value through the property's converter (UTC dates, enums as text).</summary>
        public object ToProvider(object? value)
        {
            if (value is not null && Mapping.Converter is { } converter) value = converter.ConvertToProvider(value);
            return value ?? DBNull.Value;
        }

        private static Func<object, object?>? SearchKeyOf(IProperty property) => (property.DeclaringType.ClrType.Name, property.Name) switch
        {
            (nameof(Customer), nameof(Customer.SearchName)) => o => SearchKeys.Name(((Customer)o).FirstName, ((Customer)o).LastName),
            (nameof(CustomerPhone), nameof(CustomerPhone.SearchDigits)) => o => SearchKeys.Digits(((CustomerPhone)o).Number),
            (nameof(CustomerPhone), nameof(CustomerPhone.SearchDigitsReversed)) => o => SearchKeys.Reverse(SearchKeys.Digits(((CustomerPhone)o).Number)),
            (nameof(Vehicle), nameof(Vehicle.RegistrationKey)) => o => SearchKeys.Registration(((Vehicle)o).Registration),
            _ => null,
        };
    }
}
