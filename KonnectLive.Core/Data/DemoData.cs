using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Dealerships;
using KonnectLive.Core.Surveys;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Core.Data;

/// <summary>
/// Deterministic demo customers: fictional names, Ofcom drama-range numbers (07700 900xxx, 0113 496 0xxx,
/// 020 7946 0xxx) and example.com emails, so nothing here can reach a real person.
/// </summary>
public static class DemoData
{
    /// <summary>The seeded demo users' e-mail domain: with the user name it tells a demo account from a real "admin".</summary>
    public const string EmailDomain = "@demo.konnectlive.test";

    /// <summary>True while any seeded demo user (published password) or the demo API client (published secret) exists.</summary>
    public static async Task<bool> AccountsExistAsync(KonnectDbContext db, CancellationToken ct = default)
    {
        var names = Users.Select(u => u.UserName.ToUpperInvariant()).ToList();
        var emails = Users.Select(u => u.UserName + EmailDomain).ToList();
        return await db.Users.AnyAsync(u => names.Contains(u.NormalizedUserName!) && emails.Contains(u.Email!), ct)
            || await db.ApiClients.AnyAsync(c => c.ClientId == DatabaseInitializer.DemoApiClientId, ct);
    }

    public const string Password = "KonnectLive!1";

    public static readonly (string Code, string Name)[] Dealerships =
    [
        ("NGM", "Northgate Motors"), ("SBC", "Southbank Cars"), ("EFA", "Eastfield Autos"),
    ];

    /// <summary>User name, display name, dealership code (null: head office), CSI Voice, role.</summary>
    public static readonly (string UserName, string DisplayName, string? Dealer, bool Voice, string Role)[] Users =
    [
        ("agent.north1", "Nadia North", "NGM", true, Users_.Agent),
        ("agent.north2", "Noah Northcote", "NGM", true, Users_.Agent),
        ("agent.south", "Sam Southall", "SBC", true, Users_.Agent),
        ("agent.novoice", "Nell Novak", "NGM", false, Users_.Agent),
        ("ho.agent", "Harper Office", null, true, Users_.Agent),
        ("supervisor", "Sasha Supervisor", null, true, Users_.Supervisor),
        ("admin", "Ada Admin", null, true, Users_.Admin),
    ];

    /// <summary>The demo agents' phone extensions (call events may name an agent by either).</summary>
    public static readonly IReadOnlyDictionary<string, string> Extensions = new Dictionary<string, string>
    {
        ["agent.north1"] = "2001", ["agent.north2"] = "2002", ["agent.south"] = "2101", ["agent.novoice"] = "2003",
        ["ho.agent"] = "2901", ["supervisor"] = "2902",
    };

    /// <summary>The demo's case-record options: calls go into the customer's open case, or one closed in the last week (which
    /// reopens); abandoned calls of 10 s or more get a case too; cases are tagged with their session types.</summary>
    public static Cases.CaseRecordSettings CaseRecordSettings(DateTime now) => new()
    {
        AppendToOpenCase = true, AppendToRecentlyClosed = true, ClosedWithinDays = 7, AbandonedCalls = Cases.AbandonedCallCases.MinimumSeconds,
        AbandonedMinimumSeconds = 10, TitleTemplate = "{CALL_TYPE} from {PHONE_NUMBER} ({CUSTOMER_NAME}, {DEALERSHIP_NAME})",
        AddSessionTypeTags = true, UpdatedAt = now, UpdatedBy = "demo data",
    };

    private static class Users_
    {
        public const string Agent = KonnectLive.Core.Users.Roles.Agent;
        public const string Supervisor = KonnectLive.Core.Users.Roles.Supervisor;
        public const string Admin = KonnectLive.Core.Users.Roles.Admin;
    }

    private static readonly string[] FirstNames =
    [
        "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Charlie", "Ivy", "Leo", "Freya", "Arthur", "Lily",
        "Muhammad", "Florence", "Noah", "Grace", "Oscar", "Sophia", "Theo", "Evie", "Archie", "Poppy", "Alfie", "Ella",
        "Zara", "Priya", "Tomasz", "Aoife", "Siobhan", "Chidi", "Mei", "Rahul", "Niamh", "Dylan",
    ];

    private static readonly string[] LastNames =
    [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright",
        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Khan", "Hughes",
        "Edwards", "O'Brien", "Nowak", "Okafor", "Chen", "Murphy", "Kaur", "McDonald", "Ali", "Lewis", "Harris",
    ];

    private static readonly string[] Titles = ["Mr", "Mrs", "Ms", "Miss", "Dr", "Mx"];

    private static readonly (string Make, string Model)[] Models =
    [
        ("Kestrel", "Aero 1.5 Sport"), ("Kestrel", "Vista Estate"), ("Kestrel", "Urban EV"), ("Kestrel", "Terrain 4x4"),
        ("Kestrel", "Compact 1.0"), ("Kestrel", "Grand Tourer Hybrid"),
    ];

    /// <summary>Builds <paramref name="count"/> customers with one survey record each, spread over the dealerships.</summary>
    public static IEnumerable<SurveyRecord> Customers(IReadOnlyList<Dealership> dealerships, int count, DateTime now, int seed = 42, int phoneOffset = 0)
    {
        var rnd = new Random(seed);
        // One serial per drama range, so no two demo customers share a number (each range has 1,000).
        int mobile = phoneOffset, home = phoneOffset, work = phoneOffset;
        for (var i = 0; i < count; i++)
        {
            var dealer = dealerships[i % dealerships.Count];
            var first = FirstNames[rnd.Next(FirstNames.Length)];
            var last = LastNames[rnd.Next(LastNames.Length)];
            var customer = new Customer
            {
                DealershipId = dealer.Id,
                Title = rnd.Next(4) == 0 ? null : Titles[rnd.Next(Titles.Length)],
                FirstName = first,
                LastName = last,
                Email = rnd.Next(8) == 0 ? null : $"{first}.{last}{i}".ToLowerInvariant().Replace("'", "") + "@example.com",
            };
            var phones = 1 + rnd.Next(5);
            for (var p = 1; p <= phones; p++)
            {
                var (number, type) = (p == 1 || rnd.Next(3) == 0)
                    ? ($"+447700{900000 + mobile++ % 1000:D6}", PhoneType.Mobile)
                    : rnd.Next(2) == 0 ? ($"+44113496{home++ % 1000:D4}", PhoneType.Home) : ($"+44207946{work++ % 1000:D4}", PhoneType.Work);
                var phone = new CustomerPhone { Position = p, Number = number, Type = type };
                if (rnd.Next(12) == 0) phone.Unsubscribe(ContactChannel.Call, "Customer request (demo)", now.AddDays(-rnd.Next(1, 60)));
                if (rnd.Next(8) == 0) phone.Unsubscribe(ContactChannel.Sms, "Customer request (demo)", now.AddDays(-rnd.Next(1, 60)));
                customer.Phones.Add(phone);
            }
            if (customer.Email is not null && rnd.Next(10) == 0) customer.UnsubscribeEmail("Customer request (demo)", now.AddDays(-rnd.Next(1, 60)));

            var (make, model) = Models[rnd.Next(Models.Length)];
            var vehicle = new Vehicle
            {
                Registration = $"{(char)('A' + rnd.Next(26))}{(char)('A' + rnd.Next(26))}{rnd.Next(20, 26)} {(char)('A' + rnd.Next(26))}{(char)('A' + rnd.Next(26))}{(char)('A' + rnd.Next(26))}",
                Vin = $"KSTDEMO{seed % 100:D2}{i:D8}",
                Make = make,
                Model = model,
            };
            customer.Vehicles.Add(vehicle);

            // Roughly 60% Awaiting (the chase list), the rest spread across the other four statuses.
            var roll = rnd.Next(100);
            var status = roll switch
            {
                < 60 => SurveyStatus.Awaiting,
                < 72 => SurveyStatus.Pending,
                < 84 => SurveyStatus.Completed,
                < 92 => SurveyStatus.Expired,
                _ => SurveyStatus.Rejected,
            };
            var eventDate = now.Date.AddDays(-rnd.Next(3, 40));
            var statusAt = eventDate.AddDays(rnd.Next(1, 3)).AddHours(rnd.Next(8, 18));
            var record = SurveyRecord.Create($"FOCUS-{seed:D2}-{i + 1:D6}", dealer.Id, customer, vehicle, status, statusAt,
                rnd.Next(11), rnd.Next(3) == 0 ? EventType.Sales : EventType.Service, eventDate, statusAt);
            if (status == SurveyStatus.Awaiting && rnd.Next(100) >= 40)
            {
                var attempts = 1 + rnd.Next(5);
                var lastCall = now.AddMinutes(-rnd.Next(30, 60 * 24 * 10));
                // Nobody is called about a visit before it happened: the last call is after the survey reached Awaiting.
                if (lastCall < statusAt.AddHours(1)) lastCall = statusAt.AddHours(1) < now ? statusAt.AddHours(1) : now.AddMinutes(-30);
                record.SeedAttempts(attempts, lastCall);
            }
            yield return record;
        }
    }

    /// <summary>
    /// The calls behind the demo records' attempt counts, so history, the Outcomes page's "uses" and the reports agree
    /// with the chase list: each attempted record gets its count of calls by an agent of its dealership, the last at its
    /// last-attempt time and the earlier ones a few hours apart before it, each a "keep on the list" outcome.
    /// </summary>
    public static IEnumerable<CallAttempt> Attempts(IEnumerable<SurveyRecord> records,
        IReadOnlyDictionary<int, IReadOnlyList<(string Id, string Name)>> agentsByDealership, IReadOnlyList<int> keepOnListOutcomeIds, int seed = 7)
    {
        var rnd = new Random(seed);
        foreach (var record in records.Where(r => r.AttemptCount > 0 && r.LastAttemptAt is not null))
        {
            if (!agentsByDealership.TryGetValue(record.DealershipId, out var agents) || agents.Count == 0 || keepOnListOutcomeIds.Count == 0) continue;
            var gap = TimeSpan.FromHours(Math.Max(1, Math.Min(6, (record.LastAttemptAt!.Value - record.StatusChangedAt).TotalHours / (record.AttemptCount + 1))));
            for (var k = record.AttemptCount - 1; k >= 0; k--)
            {
                var at = record.LastAttemptAt.Value - gap * k;
                var agent = agents[rnd.Next(agents.Count)];
                var phone = record.Customer.Phones.Where(p => p.IsCallable).OrderBy(p => p.Position).FirstOrDefault();
                var duration = 15 + rnd.Next(60);
                yield return new CallAttempt
                {
                    SurveyRecordId = record.Id, CustomerId = record.CustomerId, DealershipId = record.DealershipId,
                    AgentId = agent.Id, AgentName = agent.Name, NumberDialled = phone?.Number,
                    StartedAt = at.AddSeconds(-duration), DurationSeconds = duration, RecordedAt = at,
                    OutcomeId = keepOnListOutcomeIds[rnd.Next(keepOnListOutcomeIds.Count)], Behaviour = OutcomeBehaviour.KeepOnList,
                };
            }
        }
    }

    /// <summary>Three request types agents can raise on a call (Configuration → Request Types).</summary>
    public static IEnumerable<Requests.RequestType> RequestTypes() =>
    [
        new() { Name = "Complaint", Description = "Something went wrong: what, and how the customer wants it put right.", Fields =
        [
            new() { Name = "Category", Type = CustomFieldType.Choice, Choices = "Sales\nService\nVehicle fault\nStaff", IsRequired = true, SortOrder = 0 },
            new() { Name = "What happened", Type = CustomFieldType.Text, IsRequired = true, SortOrder = 1 },
            new() { Name = "Wants a call from the manager", Type = CustomFieldType.YesNo, SortOrder = 2 },
        ] },
        new() { Name = "Information", Description = "The customer asked for information we will send or call back with.", Fields =
        [
            new() { Name = "Topic", Type = CustomFieldType.Text, IsRequired = true, SortOrder = 0 },
        ] },
        new() { Name = "Service booking", Description = "The customer wants their vehicle booked in.", Fields =
        [
            new() { Name = "Preferred date", Type = CustomFieldType.Date, IsRequired = true, SortOrder = 0 },
            new() { Name = "Mileage", Type = CustomFieldType.Number, SortOrder = 1 },
            new() { Name = "Work needed", Type = CustomFieldType.Text, SortOrder = 2 },
        ] },
    ];
}
