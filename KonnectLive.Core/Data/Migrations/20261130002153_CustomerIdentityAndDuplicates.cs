using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class CustomerIdentityAndDuplicates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FocusCustomerId",
                table: "Customers",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DifferentPeople",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DealershipId = table.Column<int>(type: "INTEGER", nullable: false),
                    LowerCustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    HigherCustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    DecidedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DifferentPeople", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DifferentPeople_Customers_HigherCustomerId",
                        column: x => x.HigherCustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DifferentPeople_Customers_LowerCustomerId",
                        column: x => x.LowerCustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DifferentPeople_Dealerships_DealershipId",
                        column: x => x.DealershipId,
                        principalTable: "Dealerships",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_DealershipId_FocusCustomerId",
                table: "Customers",
                columns: new[] { "DealershipId", "FocusCustomerId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DifferentPeople_DealershipId",
                table: "DifferentPeople",
                column: "DealershipId");

            migrationBuilder.CreateIndex(
                name: "IX_DifferentPeople_HigherCustomerId",
                table: "DifferentPeople",
                column: "HigherCustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_DifferentPeople_LowerCustomerId_HigherCustomerId",
                table: "DifferentPeople",
                columns: new[] { "LowerCustomerId", "HigherCustomerId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DifferentPeople");

            migrationBuilder.DropIndex(
                name: "IX_Customers_DealershipId_FocusCustomerId",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "FocusCustomerId",
                table: "Customers");
        }
    }
}
