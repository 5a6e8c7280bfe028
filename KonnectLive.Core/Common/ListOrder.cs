namespace KonnectLive.Core.Common;

/// <summary>Moving one item of an admin-ordered list (outcomes, decline reasons) up or down.</summary>
public static class ListOrder
{
    /// <summary>
    /// Swaps <paramref name="items"/>[<paramref name="index"/>] with its neighbour above (direction &lt; 0) or below and
    /// renumbers every item 10, 20, … so earlier ties vanish. Returns the item's new position, or null when it is
    /// already at that end (nothing changes).
    /// </summary>
    public static int? Move<T>(List<T> items, int index, int direction, Action<T, int> setSortOrder)
    {
        var target = index + Math.Sign(direction);
        if (direction == 0 || target < 0 || target >= items.Count) return null;
        (items[index], items[target]) = (items[target], items[index]);
        for (var i = 0; i < items.Count; i++) setSortOrder(items[i], (i + 1) * 10);
        return target;
    }
}
