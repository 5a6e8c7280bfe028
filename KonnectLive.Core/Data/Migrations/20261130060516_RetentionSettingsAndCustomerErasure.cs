using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class RetentionSettingsAndCustomerErasure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ErasedAt",
                table: "Customers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CustomerErasures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DealershipId = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    ErasedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ErasedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    FocusCustomerIdHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LatestEventDate = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerErasures", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RetentionSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    InboundPayloadDays = table.Column<int>(type: "INTEGER", nullable: false),
                    OutboxDays = table.Column<int>(type: "INTEGER", nullable: false),
                    FinishedMessageDays = table.Column<int>(type: "INTEGER", nullable: false),
                    AuditDays = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionSettings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerErasures_CustomerId",
                table: "CustomerErasures",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerErasures_DealershipId_FocusCustomerIdHash",
                table: "CustomerErasures",
                columns: new[] { "DealershipId", "FocusCustomerIdHash" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CustomerErasures");

            migrationBuilder.DropTable(
                name: "RetentionSettings");

            migrationBuilder.DropColumn(
                name: "ErasedAt",
                table: "Customers");
        }
    }
}
