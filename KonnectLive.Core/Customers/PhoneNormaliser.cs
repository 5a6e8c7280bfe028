using PhoneNumbers;

namespace KonnectLive.Core.Customers;

/// <summary>Phone numbers are stored in E.164 and shown in national format, using libphonenumber.</summary>
public static class PhoneNormaliser
{
    public const string DefaultRegion = "GB";
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>E.164 form of a number typed in any common format, or null when it is not a phone number.</summary>
    public static string? ToE164(string? input, string region = DefaultRegion)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        try
        {
            var parsed = Util.Parse(input, region);
            return Util.IsPossibleNumber(parsed) ? Util.Format(parsed, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>The national significant digits of a full phone number (7700900123 for 07700 900123 or +44 7700 900123), or null.</summary>
    public static string? NationalDigits(string? input, string region = DefaultRegion)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        try
        {
            var parsed = Util.Parse(input, region);
            if (!Util.IsPossibleNumber(parsed)) return null;
            var digits = Util.GetNationalSignificantNumber(parsed);
            // The start of a number ("07700 9001") is too short for libphonenumber to take the trunk 0 off, so it keeps
            // it as a leading zero; where the trunk prefix is 0 (the UK) no national number starts with 0: drop it.
            var trunk = Util.GetNddPrefixForRegion(Util.GetRegionCodeForCountryCode(parsed.CountryCode), true);
            return trunk == "0" ? digits.TrimStart('0') : digits;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>How an agent reads the number: national format for home-region numbers, international otherwise.</summary>
    public static string Display(string e164, string region = DefaultRegion)
    {
        try
        {
            var parsed = Util.Parse(e164, region);
            // Compare country codes, not regions: fictional (drama-range) numbers have no region but are still national.
            return parsed.CountryCode == Util.GetCountryCodeForRegion(region)
                ? Util.Format(parsed, PhoneNumberFormat.NATIONAL)
                : Util.Format(parsed, PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }
}
