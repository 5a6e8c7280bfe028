using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutcomeBehavioursAndFollowUps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CallbackAgentId",
                table: "SurveyRecords",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CallbackAgentName",
                table: "SurveyRecords",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "CallbackDueAt",
                table: "SurveyRecords",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ChaseEndedAt",
                table: "SurveyRecords",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ChaseEndedReason",
                table: "SurveyRecords",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReservedUntil",
                table: "SurveyRecords",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "WrongNumberAt",
                table: "CustomerPhones",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WrongNumberBy",
                table: "CustomerPhones",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Behaviour",
                table: "CallOutcomes",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "KeepOnList");

            migrationBuilder.AddColumn<int>(
                name: "CallbackReserveMinutes",
                table: "CallOutcomes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Category",
                table: "CallOutcomes",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "NotReached");

            migrationBuilder.AddColumn<int>(
                name: "NextEmailTemplateId",
                table: "CallOutcomes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "NextSmsTemplateId",
                table: "CallOutcomes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RequiresNote",
                table: "CallOutcomes",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Behaviour",
                table: "CallAttempts",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "KeepOnList");

            migrationBuilder.AddColumn<DateTime>(
                name: "CallbackAt",
                table: "CallAttempts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DeclineReasonId",
                table: "CallAttempts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DeclineReasons",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    SortOrder = table.Column<int>(type: "INTEGER", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeclineReasons", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyRecords_CallbackDueAt",
                table: "SurveyRecords",
                column: "CallbackDueAt");

            migrationBuilder.CreateIndex(
                name: "IX_CallOutcomes_NextEmailTemplateId",
                table: "CallOutcomes",
                column: "NextEmailTemplateId");

            migrationBuilder.CreateIndex(
                name: "IX_CallOutcomes_NextSmsTemplateId",
                table: "CallOutcomes",
                column: "NextSmsTemplateId");

            migrationBuilder.CreateIndex(
                name: "IX_CallAttempts_DeclineReasonId",
                table: "CallAttempts",
                column: "DeclineReasonId");

            migrationBuilder.CreateIndex(
                name: "IX_DeclineReasons_Name",
                table: "DeclineReasons",
                column: "Name",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_CallAttempts_DeclineReasons_DeclineReasonId",
                table: "CallAttempts",
                column: "DeclineReasonId",
                principalTable: "DeclineReasons",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_CallOutcomes_MessageTemplates_NextEmailTemplateId",
                table: "CallOutcomes",
                column: "NextEmailTemplateId",
                principalTable: "MessageTemplates",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_CallOutcomes_MessageTemplates_NextSmsTemplateId",
                table: "CallOutcomes",
                column: "NextSmsTemplateId",
                principalTable: "MessageTemplates",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_CallAttempts_DeclineReasons_DeclineReasonId",
                table: "CallAttempts");

            migrationBuilder.DropForeignKey(
                name: "FK_CallOutcomes_MessageTemplates_NextEmailTemplateId",
                table: "CallOutcomes");

            migrationBuilder.DropForeignKey(
                name: "FK_CallOutcomes_MessageTemplates_NextSmsTemplateId",
                table: "CallOutcomes");

            migrationBuilder.DropTable(
                name: "DeclineReasons");

            migrationBuilder.DropIndex(
                name: "IX_SurveyRecords_CallbackDueAt",
                table: "SurveyRecords");

            migrationBuilder.DropIndex(
                name: "IX_CallOutcomes_NextEmailTemplateId",
                table: "CallOutcomes");

            migrationBuilder.DropIndex(
                name: "IX_CallOutcomes_NextSmsTemplateId",
                table: "CallOutcomes");

            migrationBuilder.DropIndex(
                name: "IX_CallAttempts_DeclineReasonId",
                table: "CallAttempts");

            migrationBuilder.DropColumn(
                name: "CallbackAgentId",
                table: "SurveyRecords");

            migrationBuilder.DropColumn(
                name: "CallbackAgentName",
                table: "SurveyRecords");

            migrationBuilder.DropColumn(
                name: "CallbackDueAt",
                table: "SurveyRecords");

            migrationBuilder.DropColumn(
                name: "ChaseEndedAt",
                table: "SurveyRecords");

            migrationBuilder.DropColumn(
                name: "ChaseEndedReason",
                table: "SurveyRecords");

            migrationBuilder.DropColumn(
                name: "ReservedUntil",
                table: "SurveyRecords");

            migrationBuilder.DropColumn(
                name: "WrongNumberAt",
                table: "CustomerPhones");

            migrationBuilder.DropColumn(
                name: "WrongNumberBy",
                table: "CustomerPhones");

            migrationBuilder.DropColumn(
                name: "Behaviour",
                table: "CallOutcomes");

            migrationBuilder.DropColumn(
                name: "CallbackReserveMinutes",
                table: "CallOutcomes");

            migrationBuilder.DropColumn(
                name: "Category",
                table: "CallOutcomes");

            migrationBuilder.DropColumn(
                name: "NextEmailTemplateId",
                table: "CallOutcomes");

            migrationBuilder.DropColumn(
                name: "NextSmsTemplateId",
                table: "CallOutcomes");

            migrationBuilder.DropColumn(
                name: "RequiresNote",
                table: "CallOutcomes");

            migrationBuilder.DropColumn(
                name: "Behaviour",
                table: "CallAttempts");

            migrationBuilder.DropColumn(
                name: "CallbackAt",
                table: "CallAttempts");

            migrationBuilder.DropColumn(
                name: "DeclineReasonId",
                table: "CallAttempts");
        }
    }
}
