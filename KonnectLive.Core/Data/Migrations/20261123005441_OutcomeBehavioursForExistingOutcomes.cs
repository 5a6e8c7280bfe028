using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KonnectLive.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutcomeBehavioursForExistingOutcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing installations: give the seeded outcomes the behaviours of a dealership's follow-up process (seed 003).
            // Its own migration: on SQLite the previous one rebuilds these tables, and data should not move mid-rebuild.
            migrationBuilder.Sql("UPDATE \"CallOutcomes\" SET \"Behaviour\" = 'TakeOffList', \"Category\" = 'Contacted' WHERE \"Name\" = 'Spoke – will complete survey';");
            migrationBuilder.Sql("UPDATE \"CallOutcomes\" SET \"Behaviour\" = 'CustomerDeclined', \"Category\" = 'Contacted' WHERE \"Name\" = 'Spoke – declined';");
            migrationBuilder.Sql("UPDATE \"CallOutcomes\" SET \"Behaviour\" = 'WrongNumber', \"Category\" = 'BadContact' WHERE \"Name\" = 'Wrong number';");
            migrationBuilder.Sql("UPDATE \"CallOutcomes\" SET \"Behaviour\" = 'CallBackLater', \"Category\" = 'Contacted', \"CallbackReserveMinutes\" = 60 WHERE \"Name\" = 'Call back later';");
            migrationBuilder.Sql("UPDATE \"CallAttempts\" SET \"Behaviour\" = (SELECT o.\"Behaviour\" FROM \"CallOutcomes\" o WHERE o.\"Id\" = \"CallAttempts\".\"OutcomeId\");");

            migrationBuilder.Sql("UPDATE \"CallOutcomes\" SET \"NextSmsTemplateId\" = (SELECT t.\"Id\" FROM \"MessageTemplates\" t WHERE t.\"Name\" = 'CSI survey reminder (SMS)' AND t.\"Channel\" = 'Sms') WHERE \"Name\" = 'Wrong number' AND \"NextSmsTemplateId\" IS NULL;");
            migrationBuilder.Sql("UPDATE \"CallOutcomes\" SET \"NextEmailTemplateId\" = (SELECT t.\"Id\" FROM \"MessageTemplates\" t WHERE t.\"Name\" = 'CSI survey reminder (email)' AND t.\"Channel\" = 'Email') WHERE \"Name\" = 'Wrong number' AND \"NextEmailTemplateId\" IS NULL;");


        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
