using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace KonnectLive.Core.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class SearchKeysAndDataProtectionKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RegistrationKey",
                table: "Vehicles",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SearchName",
                table: "Customers",
                type: "character varying(210)",
                maxLength: 210,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SearchDigits",
                table: "CustomerPhones",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SearchDigitsReversed",
                table: "CustomerPhones",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Vehicles_RegistrationKey",
                table: "Vehicles",
                column: "RegistrationKey");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_SearchName",
                table: "Customers",
                column: "SearchName");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerPhones_SearchDigits",
                table: "CustomerPhones",
                column: "SearchDigits");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerPhones_SearchDigitsReversed",
                table: "CustomerPhones",
                column: "SearchDigitsReversed");

            // Name and registration search are "contains" (LIKE '%…%'): a trigram index serves them; a b-tree cannot.
            // pg_trgm ships with PostgreSQL (postgresql-contrib) and is a trusted extension: the database owner may create it.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("CREATE INDEX \"IX_Customers_SearchName_Trigram\" ON \"Customers\" USING gin (\"SearchName\" gin_trgm_ops);");
            migrationBuilder.Sql("CREATE INDEX \"IX_Vehicles_RegistrationKey_Trigram\" ON \"Vehicles\" USING gin (\"RegistrationKey\" gin_trgm_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Customers_SearchName_Trigram\";");
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Vehicles_RegistrationKey_Trigram\";");
            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropIndex(
                name: "IX_Vehicles_RegistrationKey",
                table: "Vehicles");

            migrationBuilder.DropIndex(
                name: "IX_Customers_SearchName",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_CustomerPhones_SearchDigits",
                table: "CustomerPhones");

            migrationBuilder.DropIndex(
                name: "IX_CustomerPhones_SearchDigitsReversed",
                table: "CustomerPhones");

            migrationBuilder.DropColumn(
                name: "RegistrationKey",
                table: "Vehicles");

            migrationBuilder.DropColumn(
                name: "SearchName",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "SearchDigits",
                table: "CustomerPhones");

            migrationBuilder.DropColumn(
                name: "SearchDigitsReversed",
                table: "CustomerPhones");
        }
    }
}
