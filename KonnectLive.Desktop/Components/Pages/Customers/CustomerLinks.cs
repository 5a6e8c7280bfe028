namespace KonnectLive.Desktop.Components.Pages.Customers;

/// <summary>Links into the customer pages, with their query strings escaped.</summary>
public static class CustomerLinks
{
    public static string Customer(int id) => $"customers/{id}";

    public static string Search(string query, string? filter = null) =>
        $"customers/search?q={Uri.EscapeDataString(query)}" + (string.IsNullOrEmpty(filter) ? "" : $"&filter={Uri.EscapeDataString(filter)}");

    public static string NewContact(string? phone = null, string? email = null) =>
        "customers/new" + (phone is not null ? $"?phone={Uri.EscapeDataString(phone)}" : email is not null ? $"?email={Uri.EscapeDataString(email)}" : "");
}
