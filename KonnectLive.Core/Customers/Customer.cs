using KonnectLive.Core.Dealerships;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KonnectLive.Core.Customers;

public class Customer
{
    public const int MaxPhones = 5;

    public int Id { get; set; }
    public int DealershipId { get; set; }
    public Dealership Dealership { get; set; } = null!;
    public string? Title { get; set; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string? Email { get; set; }
    /// <summary>
    /// FOCUS's own id for this person, when FOCUS sends one: the strongest evidence that two survey records are the same
    /// person (see <see cref="CustomerMatcher"/>). Unique within the dealership.
    /// </summary>
    public string? FocusCustomerId { get; set; }
    public DateTime? EmailUnsubscribedAt { get; private set; }
    public string? EmailUnsubscribedBy { get; private set; }
    public List<CustomerPhone> Phones { get; set; } = [];
    public List<Vehicle> Vehicles { get; set; } = [];
    /// <summary>"FIRST LAST" without accents, upper case: what name search compares (<see cref="SearchKeys"/>, kept on save).</summary>
    public string? SearchName { get; private set; }
    /// <summary>When an admin erased this customer on request : personal fields are gone, counts stay.</summary>
    public DateTime? ErasedAt { get; set; }

    public string FullName => string.Join(' ', new[] { Title, FirstName, LastName }.Where(s => !string.IsNullOrWhiteSpace(s)));
    public bool EmailUnsubscribed => EmailUnsubscribedAt is not null;

    /// <summary>
    /// Merging <paramref name="other"/> (the same person) into this customer: an email we lack is taken with its consent,
    /// and the stricter email consent wins — if either said no to email, the merged customer has said no.
    /// </summary>
    public void TakeEmailFrom(Customer other)
    {
        if (Email is null && other.Email is not null)
        {
            Email = other.Email;
            EmailUnsubscribedAt = other.EmailUnsubscribedAt;
            EmailUnsubscribedBy = other.EmailUnsubscribedBy;
        }
        else if (Email is not null && !EmailUnsubscribed && other.EmailUnsubscribed)
        {
            EmailUnsubscribedAt = other.EmailUnsubscribedAt;
            EmailUnsubscribedBy = other.EmailUnsubscribedBy;
        }
    }

    /// <summary>Unsubscribing is one-way from the desktop: once a customer has said no, only an admin may undo it.</summary>
    public bool UnsubscribeEmail(string by, DateTime atUtc)
    {
        if (Email is null || EmailUnsubscribed) return false;
        EmailUnsubscribedAt = atUtc;
        EmailUnsubscribedBy = by;
        return true;
    }
}

public enum PhoneType { Mobile, Home, Work, Other }

public enum ContactChannel { Call, Sms, Email }

public class CustomerPhone
{
    public int Id { get; set; }
    public int CustomerId { get; set; }
    /// <summary>1–5: the order FOCUS sent the numbers in.</summary>
    public int Position { get; set; }
    /// <summary>The number as dialled (E.164 where known).</summary>
    public string Number { get; set; } = "";
    public PhoneType Type { get; set; }
    public DateTime? CallUnsubscribedAt { get; private set; }
    public string? CallUnsubscribedBy { get; private set; }
    public DateTime? SmsUnsubscribedAt { get; private set; }
    public string? SmsUnsubscribedBy { get; private set; }

    /// <summary>An agent recorded "Wrong number" on it: never offered for calls or SMS again.</summary>
    public DateTime? WrongNumberAt { get; private set; }
    public string? WrongNumberBy { get; private set; }
    /// <summary>The national digits (07700 900123 → 7700900123): phone search matches their start (<see cref="SearchKeys"/>).</summary>
    public string? SearchDigits { get; private set; }
    /// <summary>The national digits reversed: phone search matches their end as a prefix of this, from an index.</summary>
    public string? SearchDigitsReversed { get; private set; }

    public bool CallUnsubscribed => CallUnsubscribedAt is not null;
    public bool SmsUnsubscribed => SmsUnsubscribedAt is not null;
    public bool IsWrongNumber => WrongNumberAt is not null;
    public bool IsCallable => !CallUnsubscribed && !IsWrongNumber;
    public bool CanReceiveSms => Type == PhoneType.Mobile && !SmsUnsubscribed && !IsWrongNumber;

    /// <summary>Marks the number as not the customer's. Returns false when it already was.</summary>
    public bool MarkWrongNumber(string by, DateTime atUtc)
    {
        if (IsWrongNumber) return false;
        WrongNumberAt = atUtc;
        WrongNumberBy = by;
        return true;
    }

    /// <summary>Undoing the Wrong number outcome that marked it (at <paramref name="markedAt"/>): the number is offered again.</summary>
    public bool ClearWrongNumber(DateTime markedAt)
    {
        if (WrongNumberAt != markedAt) return false;
        WrongNumberAt = null;
        WrongNumberBy = null;
        return true;
    }

    /// <summary>
    /// Merging two customers' copies of this number: the stricter value wins — an unsubscribe (call or SMS) or a wrong
    /// number on the other copy is kept here, with who recorded it and when.
    /// </summary>
    public void TakeStricterConsentFrom(CustomerPhone other)
    {
        if (!CallUnsubscribed && other.CallUnsubscribed) { CallUnsubscribedAt = other.CallUnsubscribedAt; CallUnsubscribedBy = other.CallUnsubscribedBy; }
        if (!SmsUnsubscribed && other.SmsUnsubscribed) { SmsUnsubscribedAt = other.SmsUnsubscribedAt; SmsUnsubscribedBy = other.SmsUnsubscribedBy; }
        if (!IsWrongNumber && other.IsWrongNumber) { WrongNumberAt = other.WrongNumberAt; WrongNumberBy = other.WrongNumberBy; }
    }

    public bool Unsubscribe(ContactChannel channel, string by, DateTime atUtc)
    {
        switch (channel)
        {
            case ContactChannel.Call when !CallUnsubscribed:
                CallUnsubscribedAt = atUtc; CallUnsubscribedBy = by; return true;
            case ContactChannel.Sms when !SmsUnsubscribed:
                SmsUnsubscribedAt = atUtc; SmsUnsubscribedBy = by; return true;
            default:
                return false;
        }
    }
}

public class Vehicle
{
    public int Id { get; set; }
    public int CustomerId { get; set; }
    public string Registration { get; set; } = "";
    public string? Vin { get; set; }
    public string? Make { get; set; }
    public string? Model { get; set; }
    /// <summary>The registration upper case without spaces: what registration search compares (<see cref="SearchKeys"/>).</summary>
    public string? RegistrationKey { get; private set; }
    public string Description => string.Join(' ', new[] { Make, Model }.Where(s => !string.IsNullOrWhiteSpace(s)));
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.Property(c => c.Title).HasMaxLength(20);
        b.Property(c => c.FirstName).HasMaxLength(100).IsRequired();
        b.Property(c => c.LastName).HasMaxLength(100).IsRequired();
        b.Property(c => c.Email).HasMaxLength(254);
        b.Property(c => c.EmailUnsubscribedBy).HasMaxLength(100);
        b.HasOne(c => c.Dealership).WithMany().HasForeignKey(c => c.DealershipId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.Phones).WithOne().HasForeignKey(p => p.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Vehicles).WithOne().HasForeignKey(v => v.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(c => c.FullName);
        b.HasIndex(c => new { c.DealershipId, c.LastName });
        b.HasIndex(c => c.Email);
        b.Property(c => c.FocusCustomerId).HasMaxLength(64);
        b.HasIndex(c => new { c.DealershipId, c.FocusCustomerId }).IsUnique();
        b.Property(c => c.SearchName).HasMaxLength(210);
        b.HasIndex(c => c.SearchName);
    }
}

internal sealed class CustomerPhoneConfiguration : IEntityTypeConfiguration<CustomerPhone>
{
    public void Configure(EntityTypeBuilder<CustomerPhone> b)
    {
        b.Property(p => p.Number).HasMaxLength(32).IsRequired();
        b.Property(p => p.Type).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.CallUnsubscribedBy).HasMaxLength(100);
        b.Property(p => p.SmsUnsubscribedBy).HasMaxLength(100);
        b.Property(p => p.WrongNumberBy).HasMaxLength(100);
        b.HasIndex(p => p.Number);
        b.HasIndex(p => new { p.CustomerId, p.Position }).IsUnique();
        b.Property(p => p.SearchDigits).HasMaxLength(32);
        b.Property(p => p.SearchDigitsReversed).HasMaxLength(32);
        b.HasIndex(p => p.SearchDigits);
        b.HasIndex(p => p.SearchDigitsReversed);
    }
}

internal sealed class VehicleConfiguration : IEntityTypeConfiguration<Vehicle>
{
    public void Configure(EntityTypeBuilder<Vehicle> b)
    {
        b.Property(v => v.Registration).HasMaxLength(16).IsRequired();
        b.Property(v => v.Vin).HasMaxLength(17);
        b.Property(v => v.Make).HasMaxLength(50);
        b.Property(v => v.Model).HasMaxLength(80);
        b.HasIndex(v => v.Registration);
        b.Property(v => v.RegistrationKey).HasMaxLength(16);
        b.HasIndex(v => v.RegistrationKey);
    }
}
