package capture

// resourceField reads the value of resourceKeys[k] into r.
func (s *scanner) resourceField(r *Resource, k int) bool {
	switch resourceKeys[k] {
	case "resourceType":
		return s.str(&r.ResourceType)
	case "id":
		return s.str(&r.ID)
	case "meta":
		return s.object(metaKeys, func(k int) bool {
			if k == 0 {
				return s.str(&r.Meta.VersionID)
			}
			return s.str(&r.Meta.LastUpdated)
		})
	case "status":
		return s.str(&r.Status)
	case "code":
		return s.conceptPtr(&r.Code)
	case "medicationCodeableConcept":
		return s.conceptPtr(&r.MedicationCodeableConcept)
	case "type":
		return s.concepts(&r.Type)
	case "class":
		r.Class = new(Coding)
		return s.coding(r.Class)
	case "subject":
		return s.referencePtr(&r.Subject)
	case "encounter":
		return s.referencePtr(&r.Encounter)
	case "context":
		return s.referencePtr(&r.Context)
	case "serviceProvider":
		return s.referencePtr(&r.ServiceProvider)
	case "performer":
		r.Performer = []Performer{}
		return s.array(func() bool {
			var p Performer
			ok := s.peek() != 'n' && s.object(performerKeys, func(k int) bool {
				switch k {
				case 0:
					return s.conceptPtr(&p.Function)
				case 1:
					return s.reference(&p.Actor)
				}
				return s.referencePtr(&p.OnBehalfOf)
			})
			r.Performer = append(r.Performer, p)
			return ok
		})
	case "participant":
		r.Participant = []Participant{}
		return s.array(func() bool {
			var p Participant
			ok := s.peek() != 'n' && s.object(participantKeys, func(k int) bool {
				if k == 0 {
					return s.concepts(&p.Type)
				}
				return s.referencePtr(&p.Individual)
			})
			r.Participant = append(r.Participant, p)
			return ok
		})
	case "quantity":
		r.Quantity = new(Quantity)
		return s.object(quantityKeys, func(k int) bool {
			if k == 1 {
				return s.str(&r.Quantity.Unit)
			}
			start := s.i
			var ok bool
			if s.peek() == '"' {
				_, ok = s.rawString()
			} else {
				_, ok = s.number()
			}
			return ok && r.Quantity.Value.UnmarshalJSON(s.b[start:s.i]) == nil
		})
	case "performedDateTime":
		return s.str(&r.PerformedDateTime)
	case "performedPeriod":
		return s.periodPtr(&r.PerformedPeriod)
	case "occurrenceDateTime":
		return s.str(&r.OccurrenceDateTime)
	case "whenHandedOver":
		return s.str(&r.WhenHandedOver)
	case "period":
		return s.periodPtr(&r.Period)
	}
	return false
}

func (s *scanner) coding(c *Coding) bool {
	return s.object(codingKeys, func(k int) bool {
		switch k {
		case 0:
			return s.str(&c.System)
		case 1:
			return s.str(&c.Code)
		}
		return s.str(&c.Display)
	})
}

func (s *scanner) conceptPtr(dst **CodeableConcept) bool {
	*dst = new(CodeableConcept)
	return s.concept(*dst)
}

func (s *scanner) concept(c *CodeableConcept) bool {
	return s.object(conceptKeys, func(k int) bool {
		if k == 1 {
			return s.str(&c.Text)
		}
		c.Coding = []Coding{}
		return s.array(func() bool {
			var x Coding
			ok := s.peek() != 'n' && s.coding(&x)
			c.Coding = append(c.Coding, x)
			return ok
		})
	})
}

func (s *scanner) concepts(dst *[]CodeableConcept) bool {
	*dst = []CodeableConcept{}
	return s.array(func() bool {
		var c CodeableConcept
		ok := s.peek() != 'n' && s.concept(&c)
		*dst = append(*dst, c)
		return ok
	})
}

func (s *scanner) reference(r *Reference) bool {
	return s.object(referenceKeys, func(int) bool { return s.str(&r.Reference) })
}

func (s *scanner) referencePtr(dst **Reference) bool {
	*dst = new(Reference)
	return s.reference(*dst)
}

func (s *scanner) periodPtr(dst **Period) bool {
	*dst = new(Period)
	return s.object(periodKeys, func(k int) bool {
		if k == 0 {
			return s.str(&(*dst).Start)
		}
		return s.str(&(*dst).End)
	})
}
