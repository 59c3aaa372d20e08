namespace SliceAuth.Accounts;

/// <summary>The one answer for a mailed token that is wrong, used or expired: which of the three is nobody's business.</summary>
public static class TokenProblems
{
    public static IResult Invalid() => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
        title: "The link is invalid or has expired.", detail: "Ask for a new mail.");
}
