using KonnectLive.Core.Calling;
using KonnectLive.Core.Customers;
using KonnectLive.Core.Customers.Profile;
using KonnectLive.Core.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Tests.Core.Customers.Profile;

public sealed class InteractionHistoryQueryTests : IAsyncLifetime
{
    private CoreTestDatabase _db = null!;
    private int _north;

    private InteractionHistoryQuery History => _db.Services.GetRequiredService<InteractionHistoryQuery>();

    public async Task InitializeAsync()
    {
        _db = await CoreTestDatabase.CreateAsync();
        _north = (await _db.AddDealershipAsync("Northgate Motors")).Id;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ForCustomerAsync_CallsAndMessages_MergedNewestFirstAcrossPages()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, phones: "+447700900123");
        var expected = new List<long>();
        // Interleaved in time: call, message, call, message … one hour apart, newest last.
        for (var i = 0; i < 25; i++)
        {
            var at = _db.Now.AddHours(-25 + i);
            expected.Add(i % 2 == 0
                ? await _db.AddCallAsync(record, "+447700900123", at)
                : await _db.AddMessageAsync(record, MessageChannel.Sms, "+447700900123", at));
        }
        expected.Reverse();
        var agent = CoreTestDatabase.Agent("Nadia", _north);

        var first = await History.ForCustomerAsync(agent, record.CustomerId, 0, 10);
        var second = await History.ForCustomerAsync(agent, record.CustomerId, 10, 10);
        var third = await History.ForCustomerAsync(agent, record.CustomerId, 20, 10);

        Assert.Equal(25, first.Total);
        Assert.Equal(expected, first.Items.Concat(second.Items).Concat(third.Items).Select(i => i.Id));
        Assert.Equal(5, third.Items.Count);
        Assert.True(first.Items.Zip(first.Items.Skip(1)).All(p => p.First.At >= p.Second.At));
    }

    [Fact]
    public async Task ForCustomerAsync_QueuedMessages_ShowWhomTheyWillGoTo_SentOnesWhomTheyWent()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, email: "anna@example.com", phones: ["+447700900123", "+447700900456"]);
        await using (var db = _db.NewDbContext())
        {
            var first = db.CustomerPhones.Single(p => p.CustomerId == record.CustomerId && p.Position == 1);
            first.Unsubscribe(ContactChannel.Sms, "test", _db.Now); // the dispatcher would use the second mobile
            await db.SaveChangesAsync();
        }
        var sms = await _db.AddMessageAsync(record, MessageChannel.Sms, null, _db.Now.AddHours(1), MessageState.Scheduled);
        var email = await _db.AddMessageAsync(record, MessageChannel.Email, null, _db.Now.AddHours(2), MessageState.Scheduled);
        var sent = await _db.AddMessageAsync(record, MessageChannel.Sms, "+447700900123", _db.Now.AddHours(-1));
        var skipped = await _db.AddMessageAsync(record, MessageChannel.Sms, null, _db.Now.AddHours(-2), MessageState.Skipped);

        var items = (await History.ForCustomerAsync(CoreTestDatabase.Agent("Nadia", _north), record.CustomerId)).Items.ToDictionary(i => i.Id);

        Assert.Equal("+447700900456", items[sms].Message!.Recipient);
        Assert.Equal("anna@example.com", items[email].Message!.Recipient);
        Assert.Equal("+447700900123", items[sent].Message!.Recipient);
        Assert.Null(items[skipped].Message!.Recipient); // it went to nobody
    }

    [Fact]
    public async Task ForCustomerAsync_Call_CarriesOutcomeAgentDurationTypeRecordAndNotes()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, phones: "+447700900123");
        var callId = await _db.AddCallAsync(record, "+447700900123", _db.Now.AddHours(-1), durationSeconds: 125, agent: "Noah Northcote",
            note: "Asked to call back", type: CallType.Inbound);
        await using (var db = _db.NewDbContext())
        {
            db.CustomerNotes.Add(new CustomerNote { CustomerId = record.CustomerId, AuthorId = "x", AuthorName = "Noah Northcote", Text = "Prefers evenings", CreatedAt = _db.Now, CallAttemptId = callId });
            await db.SaveChangesAsync();
        }

        var page = await History.ForCustomerAsync(CoreTestDatabase.Agent("Nadia", _north), record.CustomerId);

        // The note written on the call is listed under the call and, like every customer note, as a row of its own.
        Assert.Equal([InteractionKind.Note, InteractionKind.Call], page.Items.Select(i => i.Kind));
        Assert.Equal(callId, page.Items[0].Note!.CallAttemptId);
        var item = page.Items[1];
        Assert.Equal(record.FocusRecordId, item.FocusRecordId);
        Assert.Equal("Northgate Motors", item.DealershipName);
        Assert.Equal(CallType.Inbound, item.Call!.CallType);
        Assert.Equal(125, item.Call.DurationSeconds);
        Assert.Equal("No answer", item.Call.Outcome);
        Assert.Equal("Noah Northcote", item.Call.AgentName);
        Assert.Equal("Asked to call back", item.Call.Note);
        Assert.Equal("Prefers evenings", Assert.Single(item.Call.Notes).Text);
    }

    [Fact]
    public async Task ForCustomerAsync_CallsMessagesAndNotes_MergedNewestFirstAcrossPages()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, phones: "+447700900123");
        var expected = new List<(InteractionKind, long)>();
        // Interleaved in time: call, message, note, call … one hour apart, newest last.
        for (var i = 0; i < 25; i++)
        {
            var at = _db.Now.AddHours(-25 + i);
            expected.Add((i % 3) switch
            {
                0 => (InteractionKind.Call, await _db.AddCallAsync(record, "+447700900123", at)),
                1 => (InteractionKind.Message, await _db.AddMessageAsync(record, MessageChannel.Sms, "+447700900123", at)),
                _ => (InteractionKind.Note, await AddNoteAsync(record.CustomerId, $"Note {i}", at)),
            });
        }
        expected.Reverse();
        var agent = CoreTestDatabase.Agent("Nadia", _north);

        var first = await History.ForCustomerAsync(agent, record.CustomerId, 0, 10);
        var second = await History.ForCustomerAsync(agent, record.CustomerId, 10, 10);
        var third = await History.ForCustomerAsync(agent, record.CustomerId, 20, 10);

        Assert.Equal(25, first.Total);
        Assert.Equal(expected, first.Items.Concat(second.Items).Concat(third.Items).Select(i => (i.Kind, i.Id)));
        Assert.Equal(5, third.Items.Count);
        Assert.True(first.Items.Zip(first.Items.Skip(1)).All(p => p.First.At >= p.Second.At));
    }

    [Fact]
    public async Task ForCustomerAsync_Note_CarriesAuthorTimeTextExcerptAndDealership()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, phones: "+447700900123");
        var text = "Prefers evenings. " + string.Join(' ', Enumerable.Repeat("Lots of detail about the car and the visit.", 6));
        var noteId = await AddNoteAsync(record.CustomerId, text, _db.Now.AddMinutes(-5), author: "Noah Northcote");

        var page = await History.ForCustomerAsync(CoreTestDatabase.Agent("Nadia", _north), record.CustomerId);

        var item = Assert.Single(page.Items);
        Assert.Equal(InteractionKind.Note, item.Kind);
        Assert.Equal(noteId, item.Id);
        Assert.Equal(_db.Now.AddMinutes(-5), item.At);
        Assert.Equal("Northgate Motors", item.DealershipName);
        Assert.Null(item.FocusRecordId);
        Assert.Null(item.Call);
        Assert.Null(item.Message);
        Assert.Equal("Noah Northcote", item.Note!.AuthorName);
        Assert.Equal(text, item.Note.Text);
        Assert.EndsWith("…", item.Note.Excerpt);
        Assert.StartsWith("Prefers evenings.", item.Note.Excerpt);
        Assert.Null(item.Note.CallAttemptId);
    }

    [Fact]
    public async Task ForCustomerAsync_CustomerOfOtherDealership_Empty()
    {
        var south = await _db.AddDealershipAsync("Southbank Cars");
        var record = await _db.AddAwaitingRecordAsync(south.Id, phones: "+447700900123");
        await _db.AddCallAsync(record, "+447700900123", _db.Now.AddHours(-1));
        await AddNoteAsync(record.CustomerId, "Southbank's business", _db.Now.AddMinutes(-30));

        var page = await History.ForCustomerAsync(CoreTestDatabase.Agent("Nadia", _north), record.CustomerId);
        var headOffice = await History.ForCustomerAsync(CoreTestDatabase.Agent("Hana", null), record.CustomerId);

        Assert.Equal(0, page.Total);
        Assert.Empty(page.Items);
        Assert.Equal(2, headOffice.Total);
        Assert.Equal([InteractionKind.Note, InteractionKind.Call], headOffice.Items.Select(i => i.Kind));
    }

    [Fact]
    public async Task ForAddressAsync_NumberOfACustomerWithNotes_NoNotes()
    {
        var record = await _db.AddAwaitingRecordAsync(_north, phones: "+447700900123");
        var callId = await _db.AddCallAsync(record, "+447700900123", _db.Now.AddHours(-1));
        await AddNoteAsync(record.CustomerId, "Not about a number", _db.Now.AddMinutes(-30));

        var page = await History.ForAddressAsync(CoreTestDatabase.Agent("Nadia", _north), "+447700900123", null);

        Assert.Equal(1, page.Total);
        Assert.Equal(callId, Assert.Single(page.Items).Id);
    }

    private async Task<long> AddNoteAsync(int customerId, string text, DateTime at, string author = "Nadia North")
    {
        await using var db = _db.NewDbContext();
        var note = new CustomerNote { CustomerId = customerId, AuthorId = "id-" + author, AuthorName = author, Text = text, CreatedAt = at };
        db.CustomerNotes.Add(note);
        await db.SaveChangesAsync();
        return note.Id;
    }
}
