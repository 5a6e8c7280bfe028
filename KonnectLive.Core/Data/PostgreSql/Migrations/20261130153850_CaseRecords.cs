using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace KonnectLive.Core.Data.PostgreSql.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DealershipId = table.Column<int>(type: "integer", nullable: false),
                    CustomerId = table.Column<int>(type: "integer", nullable: true),
                    PhoneNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    CustomerDigits = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Queue = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Tags = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClosedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
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
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    AppendToOpenCase = table.Column<bool>(type: "boolean", nullable: false),
                    AppendToRecentlyClosed = table.Column<bool>(type: "boolean", nullable: false),
                    ClosedWithinDays = table.Column<int>(type: "integer", nullable: false),
                    DelayUntilConnected = table.Column<bool>(type: "boolean", nullable: false),
                    AbandonedCalls = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    AbandonedMinimumSeconds = table.Column<int>(type: "integer", nullable: false),
                    TitleTemplate = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    AddSessionTypeTags = table.Column<bool>(type: "boolean", nullable: false),
                    AddPlatformTag = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseRecordSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CaseSessions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseRecordId = table.Column<long>(type: "bigint", nullable: false),
                    Sequence = table.Column<int>(type: "integer", nullable: false),
                    TelephonyCallId = table.Column<long>(type: "bigint", nullable: false),
                    SessionType = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Abandoned = table.Column<bool>(type: "boolean", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FiledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
