using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using KonnectLive.Core.Audit;
using KonnectLive.Core.Data;
using KonnectLive.Desktop.Identity;
using KonnectLive.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KonnectLive.Tests.Security;

/// <summary>Two-factor sign-in with an authenticator app, driven through the real pages with codes computed here (RFC 6238).</summary>
[Collection(AppCollection.Name)]
public sealed class TwoFactorTests(AppFixture app)
{
    [Fact]
    public async Task Enrol_ThenSignIn_AsksForTheCode_RecoveryCodeWorksOnce_AllAudited()
    {
        var agent = await app.NewAgentAsync("Totp Tess", dealershipId: null);
        string key;
        List<string> recoveryCodes;
        using (var session = await app.SignInAsync(agent.UserName))
        {
            var page = await session.Client.GetStringAsync("/account/two-factor");
            Assert.Contains("otpauth://totp/", page);
            key = Regex.Match(page, "data-testid=\"shared-key\">([^<]+)<").Groups[1].Value.Replace(" ", "").ToUpperInvariant();
            Assert.NotEmpty(key);

            var wrong = await PostFormAsync(session.Client, "/account/two-factor", page, "enable", new() { ["Input.Code"] = "000000" == Totp(key, 0) ? "111111" : "000000" });
            Assert.True(wrong.StatusCode == HttpStatusCode.OK, $"{(int)wrong.StatusCode} {wrong.Headers.Location} {await wrong.Content.ReadAsStringAsync()}");
            Assert.Contains("That code is not right", await wrong.Content.ReadAsStringAsync());

            var enabled = await PostFormAsync(session.Client, "/account/two-factor", page, "enable", new() { ["Input.Code"] = Totp(key, -1) });
            var body = await enabled.Content.ReadAsStringAsync();
            Assert.Contains("Two-factor sign-in is on.", body);
            recoveryCodes = [.. Regex.Matches(body, "<li><code>([^<]+)</code></li>").Select(m => m.Groups[1].Value)];
            Assert.Equal(10, recoveryCodes.Count);
            // This browser stays signed in after the change (its cookie was renewed with the new security stamp).
            Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/csi/chase-list")).StatusCode);
        }

        // Password alone is no longer enough: it leads to the code page, not into the app.
        using var client = NewClient();
        var afterPassword = await AppFixture.PostLoginAsync(client, agent.UserName, DemoData.Password);
        Assert.Equal(HttpStatusCode.Redirect, afterPassword.StatusCode);
        Assert.Contains("/account/login-2fa", afterPassword.Headers.Location!.OriginalString);
        AssertSentToLogIn(await client.GetAsync("/csi/chase-list"));

        var wrongCode = await PostCodeAsync(client, Totp(key, 0) == "123456" ? "654321" : "123456");
        Assert.Equal(HttpStatusCode.OK, wrongCode.StatusCode);
        Assert.Contains("That code is not right", await wrongCode.Content.ReadAsStringAsync());

        var signedIn = await PostCodeAsync(client, Totp(key, 0));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/csi/chase-list")).StatusCode);

        // A recovery code instead of the app: once.
        using var lostPhone = NewClient();
        await AppFixture.PostLoginAsync(lostPhone, agent.UserName, DemoData.Password);
        Assert.Equal(HttpStatusCode.Redirect, (await PostCodeAsync(lostPhone, recoveryCodes[0])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await lostPhone.GetAsync("/csi/chase-list")).StatusCode);
        using var again = NewClient();
        await AppFixture.PostLoginAsync(again, agent.UserName, DemoData.Password);
        Assert.Equal(HttpStatusCode.OK, (await PostCodeAsync(again, recoveryCodes[0])).StatusCode); // refused: the page again
        AssertSentToLogIn(await again.GetAsync("/csi/chase-list"));

        await using var db = await app.Service<IDbContextFactory<KonnectDbContext>>().CreateDbContextAsync();
        var actions = await db.AuditEntries.Where(a => a.EntityId == agent.UserId).Select(a => a.Action).ToListAsync();
        Assert.Contains(SignInAudit.TwoFactorEnabledAction, actions);
        Assert.Single(actions, a => a == SignInAudit.RecoveryCodeUsedAction);
        Assert.Equal(3, actions.Count(a => a == SignInAudit.TwoFactorFailedAction)); // wrong enrol code, wrong code, reused recovery code
        Console.WriteLine($"two-factor: password alone refused, TOTP accepted, recovery code 1/2 uses accepted, {actions.Count(a => a == SignInAudit.TwoFactorFailedAction)} failures audited");
    }

    private HttpClient NewClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

    private static void AssertSentToLogIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString);
    }

    private static async Task<HttpResponseMessage> PostCodeAsync(HttpClient client, string code)
    {
        var page = await client.GetStringAsync("/account/login-2fa");
        return await PostFormAsync(client, "/account/login-2fa", page, "login-2fa", new() { ["Input.Code"] = code });
    }

    internal static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string page, string handler, Dictionary<string, string> fields)
    {
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = token;
        return client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    /// <summary>RFC 6238: HMAC-SHA1 over the 30-second step number, dynamic truncation, 6 digits; <paramref name="stepOffset"/> steps from now.</summary>
    internal static string Totp(string base32Key, int stepOffset)
    {
        var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30 + stepOffset;
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian) Array.Reverse(counter);
        var hash = HMACSHA1.HashData(Base32(base32Key), counter);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6");
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('='))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c);
            bits += 5;
            if (bits >= 8) { bytes.Add((byte)(buffer >> (bits - 8))); bits -= 8; }
        }
        return [.. bytes];
    }
}
