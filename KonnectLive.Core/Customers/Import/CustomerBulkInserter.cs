using System.Data.Common;
using KonnectLive.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KonnectLive.Core.Customers.Import;

/// <summary>
/// Inserts new customers with their phones and vehicles through three prepared commands on the context's connection
/// and transaction. EF's change tracking costs about a millisecond per customer; 50,000 new customers need this.
/// Table and column names come from the EF model, so a renamed column cannot silently diverge.
/// </summary>
internal sealed class CustomerBulkInserter : IAsyncDisposable
{
    private readonly DbCommand _customer;
    private readonly DbCommand _phone;
    private readonly DbCommand _vehicle;

    private CustomerBulkInserter(DbCommand customer, DbCommand phone, DbCommand vehicle)
    {
        (_customer, _phone, _vehicle) = (customer, phone, vehicle);
    }

    public static async Task<CustomerBulkInserter> CreateAsync(KonnectDbContext db, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                          ?? throw new InvalidOperationException("The bulk insert must run inside the import's transaction.");
        var customer = await CommandAsync<Customer>(db, connection, transaction, ct, returningId: true,
            nameof(Customer.DealershipId), nameof(Customer.Title), nameof(Customer.FirstName), nameof(Customer.LastName), nameof(Customer.Email));
        var phone = await CommandAsync<CustomerPhone>(db, connection, transaction, ct, returningId: false,
            nameof(CustomerPhone.CustomerId), nameof(CustomerPhone.Position), nameof(CustomerPhone.Number), nameof(CustomerPhone.Type));
        var vehicle = await CommandAsync<Vehicle>(db, connection, transaction, ct, returningId: false,
            nameof(Vehicle.CustomerId), nameof(Vehicle.Registration), nameof(Vehicle.Vin), nameof(Vehicle.Make), nameof(Vehicle.Model));
        return new CustomerBulkInserter(customer, phone, vehicle);
    }

    public async Task InsertAsync(Customer c, CancellationToken ct)
    {
        Set(_customer, c.DealershipId, c.Title, c.FirstName, c.LastName, c.Email);
        c.Id = Convert.ToInt32(await _customer.ExecuteScalarAsync(ct));
        foreach (var p in c.Phones)
        {
            p.CustomerId = c.Id;
            Set(_phone, c.Id, p.Position, p.Number, p.Type.ToString());
            await _phone.ExecuteNonQueryAsync(ct);
        }
        foreach (var v in c.Vehicles)
        {
            v.CustomerId = c.Id;
            Set(_vehicle, c.Id, v.Registration, v.Vin, v.Make, v.Model);
            await _vehicle.ExecuteNonQueryAsync(ct);
        }
    }

    private static void Set(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    private static async Task<DbCommand> CommandAsync<T>(KonnectDbContext db, DbConnection connection, DbTransaction transaction,
        CancellationToken ct, bool returningId, params string[] properties)
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = entity.GetTableName()!;
        var columns = properties.Select(p => entity.FindProperty(p)!.GetColumnName()).ToList();
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
                              $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})" +
                              (returningId ? $" RETURNING \"{entity.FindPrimaryKey()!.Properties[0].GetColumnName()}\"" : "");
        for (var i = 0; i < columns.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            command.Parameters.Add(parameter);
        }
        await command.PrepareAsync(ct);
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        await _customer.DisposeAsync();
        await _phone.DisposeAsync();
        await _vehicle.DisposeAsync();
    }
}
