using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace SliceAuth.Data.Postgres;

/// <summary>The Data Protection key ring in PostgreSQL, so every instance protects and unprotects with the same keys.</summary>
internal sealed class PostgresKeyRing(PostgresDatabase db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => db.RunAsync<IReadOnlyCollection<XElement>>(async connection =>
    {
        await using var select = PostgresDatabase.Command(connection, "SELECT xml FROM data_protection_keys");
        await using var reader = await select.ExecuteReaderAsync();
        var elements = new List<XElement>();
        while (await reader.ReadAsync()) elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) =>
        db.ExecuteAsync("INSERT INTO data_protection_keys (friendly_name, xml) VALUES ($1, $2) ON CONFLICT (friendly_name) DO NOTHING",
            friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
}
