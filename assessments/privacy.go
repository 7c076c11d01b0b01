package assessments

// An organisation sees only aggregates of its people's skills answers. Any
// figure resting on fewer people than the minimum group size is hidden, and
// where totals on the same page would let a hidden figure be worked out by
// subtraction, more is hidden (complementary suppression).

// MinGroupSizeFloor is the smallest minimum group size a deployment may set.
const MinGroupSizeFloor = 5

// SuppressGroups decides which groups of a partition to hide. counts[i] is
// the number of people in group i; the groups are disjoint and together
// make up the total. totalShown says the page also shows the total (count
// and aggregates) over all groups, which would let a single hidden group be
// worked out by subtraction.
//
// Rules: (1) a group with 0 < count < min is hidden; (2) a group with count
// 0 (or below) is empty: shown as no data, never hidden and never used as
// cover; (3) if totalShown and any group is hidden, the hidden groups
// together must number at least 2 and hold at least min people: while not,
// the smallest still-visible non-empty group is hidden too (ties: the
// lowest index); (4) if that runs out of groups, the total must be hidden:
// hideTotal is true. hideTotal is also true when 0 < total < min. A min
// below MinGroupSizeFloor is taken as the floor, so a misconfigured
// deployment cannot show groups of one.
//
// Example: a heatmap of mean gaps by staff group, min 10, with the
// organisation's total row on the page; counts [40, 3, 12, 25]:
//
//	Staff group  People  Shown
//	Nursing          40  yes
//	Medical           3  hidden: fewer than 10 (rule 1)
//	Admin            12  hidden: cover for Medical (rule 3)
//	AHP              25  yes
//	Total            80  yes
//
// Hiding Medical alone is not enough: 80 - 40 - 12 - 25 = 3 gives its
// count back, and its means follow the same way from the total's. With
// Admin, the smallest other row, hidden too, the page gives away only
// Medical and Admin together: 15 people, at least 10.
func SuppressGroups(counts []int, min int, totalShown bool) (hidden []bool, hideTotal bool) {
	min = max(min, MinGroupSizeFloor)
	hidden = make([]bool, len(counts))
	total, hiddenGroups, hiddenPeople := 0, 0, 0
	for i, c := range counts {
		if c <= 0 {
			continue
		}
		total += c
		if c < min {
			hidden[i] = true
			hiddenGroups++
			hiddenPeople += c
		}
	}
	if total > 0 && total < min {
		hideTotal = true
	}
	if !totalShown || hiddenGroups == 0 {
		return hidden, hideTotal
	}
	// The hidden groups need cover until they are at least two, hold at
	// least min people together, and hold more people than groups: k hidden
	// groups of k people would each be known to hold exactly one person.
	for hiddenGroups < 2 || hiddenPeople < min || hiddenPeople == hiddenGroups {
		cover := -1
		for i, c := range counts {
			if c > 0 && !hidden[i] && (cover < 0 || c < counts[cover]) {
				cover = i
			}
		}
		if cover < 0 {
			// Every group is hidden and they still give themselves away
			// against the total, so the total goes.
			return hidden, true
		}
		hidden[cover] = true
		hiddenGroups++
		hiddenPeople += counts[cover]
	}
	return hidden, hideTotal
}

// FilterVisible says whether a filtered result may be shown. count is the
// number of people the filter combination selects; parents are the counts
// of the same combination with any one filter removed (the organisation
// total when one filter is set; none when no filter is set). It is visible
// only when count >= min and, for every parent, parent - count is 0 or at
// least min: otherwise comparing the result with its parent's reveals the
// figures of a group smaller than min by differencing. A parent smaller
// than count cannot happen with consistent counts; it hides the result
// rather than trust them. A min below MinGroupSizeFloor is taken as the floor.
func FilterVisible(count int, parents []int, min int) bool {
	min = max(min, MinGroupSizeFloor)
	if count < min {
		return false
	}
	for _, p := range parents {
		if d := p - count; d != 0 && d < min {
			return false
		}
	}
	return true
}
