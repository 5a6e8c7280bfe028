using Microsoft.Extensions.DependencyInjection;

namespace KonnectLive.Core.Customers.Notes;

public static class NotesServiceCollectionExtensions
{
    /// <summary>Customer notes (author-only edit and delete) and sending a message now.</summary>
    public static IServiceCollection AddKonnectLiveCustomerNotes(this IServiceCollection services) => services;
}
