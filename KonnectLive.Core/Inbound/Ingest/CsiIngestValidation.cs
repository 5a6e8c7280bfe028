using FluentValidation;
using KonnectLive.Core.Customers;

namespace KonnectLive.Core.Inbound.Ingest;

/// <summary>Step 1 of a batch: each record is validated on its own; a bad one is rejected with its field errors and never stops the good ones.</summary>
internal static class CsiIngestValidation
{
    /// <summary>Every record's result (rejected ones filled in), and the valid records in batch order.</summary>
    public static async Task<(List<CsiRecordResult> Results, List<IngestRecord> Valid)> ValidateAsync(IReadOnlyList<CsiRecordEnvelope> envelopes,
        IValidator<CsiRecordInput> validator, IReadOnlyDictionary<string, int> dealerships, CancellationToken ct)
    {
        var knownCodes = new HashSet<string>(dealerships.Keys, StringComparer.OrdinalIgnoreCase);
        var results = new List<CsiRecordResult>(envelopes.Count);
        var valid = new List<IngestRecord>(envelopes.Count);
        foreach (var envelope in envelopes)
        {
            var result = new CsiRecordResult { Index = envelope.Index, FocusRecordId = envelope.Record?.FocusRecordId ?? envelope.FocusRecordId };
            results.Add(result);
            if (envelope.Record is not { } input)
            {
                Reject(result, envelope.ReadErrors!);
                continue;
            }
            var context = new ValidationContext<CsiRecordInput>(input);
            context.RootContextData[CsiRecordInputValidator.DealershipCodesKey] = knownCodes;
            var validation = await validator.ValidateAsync(context, ct);
            if (!validation.IsValid || envelope.ReadErrors is { Count: > 0 })
            {
                // All of the record's errors in one answer: its badly typed fields (taken out before it was read, so the
                // validator's "missing" for them would only repeat them) and what the validator finds in the rest.
                var typeErrors = envelope.ReadErrors ?? new Dictionary<string, string[]>();
                var errors = new Dictionary<string, string[]>(typeErrors);
                foreach (var g in validation.Errors.GroupBy(e => JsonPath(e.PropertyName)))
                    if (!typeErrors.Keys.Any(k => Within(g.Key, k))) errors[g.Key] = g.Select(e => e.ErrorMessage).Distinct().ToArray();
                Reject(result, errors);
                continue;
            }
            var phones = (input.Customer!.Phones ?? [])
                .Select(p => (Number: PhoneNormaliser.ToE164(p.Number)!, Type: CsiFormats.ParsePhoneType(p.Type)))
                .DistinctBy(p => p.Number).ToList();
            var email = string.IsNullOrWhiteSpace(input.Customer.Email) ? null : input.Customer.Email.Trim().ToLowerInvariant();
            valid.Add(new IngestRecord(result, input, dealerships[input.DealershipCode!.Trim()], input.ParsedStatus,
                input.ParsedStatusChangedAt, input.ParsedEventDate, phones, email));
        }
        return (results, valid);
    }

    public static void Reject(CsiRecordResult result, IDictionary<string, string[]> errors)
    {
        result.Result = CsiRecordOutcome.Rejected;
        result.Detail = "One or more validation errors occurred.";
        result.Errors = errors;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="field"/> or inside it ("customer.phones[0].number" is in "customer.phones").</summary>
    private static bool Within(string path, string field) =>
        path.Equals(field, StringComparison.OrdinalIgnoreCase)
        || (path.StartsWith(field, StringComparison.OrdinalIgnoreCase) && path.Length > field.Length && path[field.Length] is '.' or '[');

    /// <summary>FluentValidation's "Customer.Phones[0].Number" as the JSON path FOCUS sent: "customer.phones[0].number".</summary>
    private static string JsonPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..]));
}
