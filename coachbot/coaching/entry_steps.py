"""Steps into a first LTA job, tailored: nothing the person already has, their budget, time and strengths."""
from __future__ import annotations

from .pathway import money_range
from .steps import Draft, Step

POST_SECONDARY = ("certificate", "associate", "bachelor", "master")


def entry_steps(d: Draft) -> list[Step]:
    u = d.person
    in_library = bool({"library", "library_volunteer"} & u.kinds)
    steps: list[Step] = []
    if not in_library:
        steps.append(d.guide_step("research"))
    steps += education_steps(d)
    if "library" not in u.kinds:
        lead_in = []
        if "library_volunteer" in u.kinds:
            lead_in = [("You have started already: keep adding hands-on hours and ask for references.", [])]
        steps.append(d.guide_step("volunteer", lead_in + d.library_type_note()))
    if "ils" not in d.shown:
        extra = []
        if "it" in u.kinds:
            extra = [("Your IT background is a head start here.", [])]
        steps.append(d.guide_step("software", extra))
    strengths = d.strengths()
    highlight = [(f"Lead with what you bring: {', '.join(strengths)}.", [])] if strengths else []
    steps.append(d.guide_step("resume", highlight))
    steps.append(d.guide_step("network"))
    return steps


def education_steps(d: Draft) -> list[Step]:
    """The education route: none for people who have it; otherwise the route their budget and time allow."""
    p, u = d.pathway, d.person
    edu = u.education
    level = edu.level if edu else None
    steps: list[Step] = []
    if level == "none":  # every route starts here, even the quick one
        item = p.education["high_school"]
        steps.append(d.step("high_school", "Finish a High School Diploma or GED", [(item["summary"], item)],
                            "First, before the other routes", "Not stated in the guide"))
    fast = _fast_track_kind(d)
    if fast and "library" not in u.kinds:
        steps.append(_fast_track(d, fast))
    if edu and edu.library and level in POST_SECONDARY:
        return steps  # library education already: nothing to add
    if level in POST_SECONDARY:
        steps.append(library_credential_step(d))
        return steps
    # Library work already counts: with a diploma it is an accepted route, so the quick credential fits.
    steps.append(diploma_route_step(d, fast is not None or "library" in u.kinds))
    return steps


def _fast_track_kind(d: Draft) -> str | None:
    for kind in sorted(d.person.kinds):
        if d.pathway.backgrounds.get(kind, {}).get("fast_track"):
            return kind
    return None


def _fast_track(d: Draft, kind: str) -> Step:
    item = d.pathway.education["fast_track"]
    label = d.pathway.backgrounds[kind]["label"]
    return d.step("fast_track", f"Use your {label} experience to get hired sooner",
                  [(item["summary"], item),
                   ("Apply for entry-level LTA jobs that offer on-the-job training, while you build the skills below.",
                    [])],
                  item["duration"], "Your time only")


def library_credential_step(d: Draft) -> Step:
    """For degree holders outside library fields: an optional LSSC or certificate, never another degree."""
    p, u = d.pathway, d.person
    lssc, cert = p.education["lssc"], p.education["certificate"]
    low, _ = money_range(cert["cost"])
    sentences = [(p.education["degree_not_required"]["summary"], p.education["degree_not_required"]),
                 (lssc["summary"], lssc)]
    timeframe, cost = "Optional, when you can", "LSSC cost not stated in the guide"
    if u.budget_usd is None or u.budget_usd >= low:
        sentences.append((f"{cert['summary']} They cost {cert['cost']}.", cert))
        timeframe, cost = f"{d.paced(cert['duration'])} for a certificate", f"{cert['cost']} for a certificate"
    return d.step("library_credential", "Add a library credential to your degree (optional)", sentences,
                  timeframe, cost)


def diploma_route_step(d: Draft, fast: bool) -> Step:
    """A diploma, GED or unknown education: associate's, certificate, LSSC or self-study, by budget and time."""
    p, u = d.pathway, d.person
    assoc, cert, lssc, self_study = (p.education[k] for k in ("associate", "certificate", "lssc", "self_study"))
    cert_low, cert_high = money_range(cert["cost"])
    assoc_low, _ = money_range(assoc["cost"])
    budget, hours = u.budget_usd, u.hours_per_week
    part_time = hours is not None and hours < p.data["planning"]["part_time_below_hours"]
    lssc_line = (lssc["summary"], lssc)
    cert_line = (f"{cert['summary']} They cost {cert['cost']}.", cert)
    if budget is not None and budget < cert_low:
        return d.step("self_study", "Build your skills through self-study and aim for the LSSC",
                      [(f"Within your budget, self-study is the way in: {self_study['summary']}", self_study),
                       lssc_line],
                      d.paced(self_study["duration"]), self_study["cost"].capitalize())
    if (budget is not None and budget < assoc_low) or fast or part_time:
        why = ("It fits your budget." if budget is not None and budget < assoc_low else
               "It fits the hours you have." if part_time else
               "With your experience, it is the quicker route.")
        sentences = [cert_line, (why, [])]
        if budget is not None and budget < cert_high:
            sentences.append(("Compare programs and pick one at the lower end of that range.", []))
        sentences.append(lssc_line)
        return d.step("certificate", "Take a certificate program or the LSSC", sentences,
                      d.paced(cert["duration"]), cert["cost"])
    # Budget and time allow a degree: the guide's Step 2, with the certificate as the quicker choice.
    prefer_degree = u.goal.library_type in ("academic", "special") or budget is not None
    degree_line = (f"{assoc['summary']} It takes {assoc['duration']} and costs {assoc['cost']}.",
                   [assoc["source"], p.steps["education"]["source"]])
    first, second = (degree_line, cert_line) if prefer_degree else (cert_line, degree_line)
    sentences = [first, ("Or, quicker and cheaper:" if prefer_degree else "Or, if you can study full-time:", []),
                 second, lssc_line]
    return d.step("education", p.steps["education"]["title"], sentences,
                  f"{d.paced(assoc['duration'])} (degree) or {d.paced(cert['duration'])} (certificate)",
                  f"{assoc['cost']} (degree) or {cert['cost']} (certificate)")
