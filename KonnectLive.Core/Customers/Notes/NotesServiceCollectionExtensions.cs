using KonnectLive.Core.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Customers.Notes;

public static class NotesServiceCollectionExtensions
{
    /// <summary>Customer notes (author-only edit and delete) and sending a message now.</summary>
    public static IServiceCollection AddKonnectLiveCustomerNotes(this IServiceCollection services)
    {
        // Validators (NoteInputValidator, SendNowRequestValidator) are picked up by AddKonnectLiveCore's assembly scan.
        services.AddSingleton<CustomerNoteService>();
        services.AddSingleton<SendNowService>();
        return services;
    }
}
