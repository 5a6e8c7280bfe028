using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace KonnectLive.Core.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class TelephonyCallsAndApiScopes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Extension",
                table: "AspNetUsers",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Scopes",
                table: "ApiClients",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.CreateTable(
                name: "TelephonyCalls",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ApiClientId = table.Column<int>(type: "integer", nullable: false),
                    CallId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Direction = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Ani = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Dnis = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    CustomerNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    CustomerDigits = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Queue = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Language = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AnsweredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    RecordingUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    DealershipId = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TelephonyCalls", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TelephonyCalls_ApiClients_ApiClientId",
                        column: x => x.ApiClientId,
                        principalTable: "ApiClients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TelephonyCalls_Dealerships_DealershipId",
                        column: x => x.DealershipId,
                        principalTable: "Dealerships",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TelephonyEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ApiClientId = table.Column<int>(type: "integer", nullable: false),
                    EventId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CallId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Direction = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    Ani = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Dnis = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Queue = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Language = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Agent = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    AgentUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    EndReason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    RecordingUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TelephonyEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TelephonyEvents_ApiClients_ApiClientId",
                        column: x => x.ApiClientId,
                        principalTable: "ApiClients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CallLegs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TelephonyCallId = table.Column<long>(type: "bigint", nullable: false),
                    Sequence = table.Column<int>(type: "integer", nullable: false),
                    Type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: true),
                    Agent = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    DealershipId = table.Column<int>(type: "integer", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Connected = table.Column<bool>(type: "boolean", nullable: false),
                    DurationSeconds = table.Column<int>(type: "integer", nullable: false),
                    HoldSeconds = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallLegs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CallLegs_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CallLegs_Dealerships_DealershipId",
                        column: x => x.DealershipId,
                        principalTable: "Dealerships",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CallLegs_TelephonyCalls_TelephonyCallId",
                        column: x => x.TelephonyCallId,
                        principalTable: "TelephonyCalls",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_Extension",
                table: "AspNetUsers",
                column: "Extension",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CallLegs_DealershipId",
                table: "CallLegs",
                column: "DealershipId");

            migrationBuilder.CreateIndex(
                name: "IX_CallLegs_TelephonyCallId_Sequence",
                table: "CallLegs",
                columns: new[] { "TelephonyCallId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CallLegs_UserId_StartedAt",
                table: "CallLegs",
                columns: new[] { "UserId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TelephonyCalls_ApiClientId_CallId",
                table: "TelephonyCalls",
                columns: new[] { "ApiClientId", "CallId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TelephonyCalls_CustomerDigits",
                table: "TelephonyCalls",
                column: "CustomerDigits");

            migrationBuilder.CreateIndex(
                name: "IX_TelephonyCalls_DealershipId",
                table: "TelephonyCalls",
                column: "DealershipId");

            migrationBuilder.CreateIndex(
                name: "IX_TelephonyCalls_StartedAt",
                table: "TelephonyCalls",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_TelephonyEvents_ApiClientId_CallId",
                table: "TelephonyEvents",
                columns: new[] { "ApiClientId", "CallId" });

            migrationBuilder.CreateIndex(
                name: "IX_TelephonyEvents_ApiClientId_EventId",
                table: "TelephonyEvents",
                columns: new[] { "ApiClientId", "EventId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CallLegs");

            migrationBuilder.DropTable(
                name: "TelephonyEvents");

            migrationBuilder.DropTable(
                name: "TelephonyCalls");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_Extension",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "Extension",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "Scopes",
                table: "ApiClients");
        }
    }
}
