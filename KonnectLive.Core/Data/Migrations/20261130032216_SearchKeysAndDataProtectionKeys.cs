using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.Migrations
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
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SearchName",
                table: "Customers",
                type: "TEXT",
                maxLength: 210,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SearchDigits",
                table: "CustomerPhones",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SearchDigitsReversed",
                table: "CustomerPhones",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
