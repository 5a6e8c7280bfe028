using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class CaseRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CaseRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DealershipId = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: true),
                    PhoneNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CustomerDigits = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Queue = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Tags = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CaseRecords_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_CaseRecords_Dealerships_DealershipId",
                        column: x => x.DealershipId,
                        principalTable: "Dealerships",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CaseRecordSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    AppendToOpenCase = table.Column<bool>(type: "INTEGER", nullable: false),
                    AppendToRecentlyClosed = table.Column<bool>(type: "INTEGER", nullable: false),
                    ClosedWithinDays = table.Column<int>(type: "INTEGER", nullable: false),
                    DelayUntilConnected = table.Column<bool>(type: "INTEGER", nullable: false),
                    AbandonedCalls = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    AbandonedMinimumSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    TitleTemplate = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AddSessionTypeTags = table.Column<bool>(type: "INTEGER", nullable: false),
                    AddPlatformTag = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseRecordSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CaseSessions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseRecordId = table.Column<long>(type: "INTEGER", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    TelephonyCallId = table.Column<long>(type: "INTEGER", nullable: false),
                    SessionType = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Abandoned = table.Column<bool>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FiledAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CaseSessions_CaseRecords_CaseRecordId",
                        column: x => x.CaseRecordId,
                        principalTable: "CaseRecords",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CaseSessions_TelephonyCalls_TelephonyCallId",
                        column: x => x.TelephonyCallId,
                        principalTable: "TelephonyCalls",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CaseRecords_CustomerId",
                table: "CaseRecords",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_CaseRecords_DealershipId_CustomerDigits",
                table: "CaseRecords",
                columns: new[] { "DealershipId", "CustomerDigits" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseRecords_DealershipId_CustomerId_Queue_Status",
                table: "CaseRecords",
                columns: new[] { "DealershipId", "CustomerId", "Queue", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseRecords_UpdatedAt",
                table: "CaseRecords",
                column: "UpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_CaseSessions_CaseRecordId_Sequence",
                table: "CaseSessions",
                columns: new[] { "CaseRecordId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CaseSessions_TelephonyCallId",
                table: "CaseSessions",
                column: "TelephonyCallId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CaseRecordSettings");

            migrationBuilder.DropTable(
                name: "CaseSessions");

            migrationBuilder.DropTable(
                name: "CaseRecords");
        }
    }
}
