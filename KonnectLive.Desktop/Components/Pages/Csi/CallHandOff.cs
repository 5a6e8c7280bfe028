namespace KonnectLive.Desktop.Components.Pages.Csi;

/// <summary>
/// Carries a lease taken on one page of this circuit (the chase list's Open, or First / Previous / Next) to the calling
/// page it navigates to, so that page adopts the lease instead of taking it a second time: one Open, one lock taken.
/// Scoped, and a Blazor Server scope is the circuit, so a second tab or a bookmark (a new circuit) finds nothing here and
/// takes its own lease. The token stays on the server; in the URL a duplicated tab would copy it.
/// </summary>
public sealed class CallHandOff
{
    private (int RecordId, string Token)? _pending;

    public void Offer(int recordId, string pageToken) => _pending = (recordId, pageToken);

    /// <summary>The token handed over for <paramref name="recordId"/>, once; null when there is none.</summary>
    public string? Take(int recordId)
    {
        if (_pending is not { } pending || pending.RecordId != recordId) return null;
        _pending = null;
        return pending.Token;
    }
}
