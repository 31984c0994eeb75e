import Foundation

/// Another database on the same server as a libpq connection string (URL or key=value form).
public enum ConnectionStringDatabase {
    public static func replacing(database: String, in connectionString: String) throws -> String {
        if connectionString.hasPrefix("postgres://") || connectionString.hasPrefix("postgresql://") {
            guard var components = URLComponents(string: connectionString) else {
                throw UserFacingError.error(.configuration, "connection_url_unreadable", ["url": DatabaseLocator.redacted(connectionString)])
            }
            components.path = "/" + database
            guard let url = components.string else {
                throw UserFacingError.error(.configuration, "connection_url_database", ["database": database])
            }
            return url
        }
        // key=value form: a later keyword overrides an earlier one.
        return connectionString + " dbname=" + database
    }
}
