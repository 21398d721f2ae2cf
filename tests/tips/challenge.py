"""Solving the tip form's proof of work the way a browser does, for tests that send tips as one."""

import altcha


def solved_payload(client):
    """Fetch a challenge from the form's endpoint as `client` and return the payload that solves it."""
    response = client.get("/lapor/tantangan/")
    assert response.status_code == 200, response.status_code
    challenge = altcha.Challenge.from_dict(response.json())
    solution = altcha.solve_challenge(challenge)
    return altcha.Payload(challenge, solution).to_base64()
