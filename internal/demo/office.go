package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/funza-tic/mesa/internal/procedure"
	"github.com/funza-tic/mesa/internal/sheets"
	"github.com/funza-tic/mesa/internal/workbook"
)

// domain is the office's mail domain.
const domain = "funza-cundinamarca.gov.co"

// building is a site of the alcaldía and the dependencias that work in it.
type building struct {
	Name         string
	Dependencias []string
	Weight       int // how many of the office's people work there
}

// buildings of a Funza-like alcaldía. The Plaza de Mercado is on purpose in
// no agent's Edificios list: its requests stay "Sin asignar" until the
// Administrador reassigns them (Funza paso 3 and 4).
var buildings = []building{
	{"Palacio Municipal", []string{"Despacho del Alcalde", "Secretaría General", "Secretaría de Gobierno", "Oficina Asesora Jurídica"}, 14},
	{"Edificio Administrativo", []string{"Secretaría de Hacienda", "Secretaría de Planeación", "Oficina de Relacionamiento con el Ciudadano"}, 14},
	{"Centro Administrativo Municipal", []string{"Secretaría de Desarrollo Económico", "Secretaría de Ambiente", "Oficina de Control Interno"}, 9},
	{"Casa de la Cultura", []string{"Secretaría de Cultura", "Biblioteca Municipal Jorge Eliécer Gaitán"}, 6},
	{"Sede Secretaría de Salud", []string{"Secretaría de Salud"}, 8},
	{"Sede Secretaría de Educación", []string{"Secretaría de Educación"}, 8},
	{"Sede Secretaría de Movilidad", []string{"Secretaría de Movilidad"}, 6},
	{"Casa de Justicia", []string{"Comisaría de Familia", "Inspección de Policía"}, 5},
	{"Plaza de Mercado", []string{"Administración Plaza de Mercado"}, 1},
}

// agent is a row of the Agentes tab.
type agent struct {
	Name, Email string
	Role        procedure.Role
	Edificios   []string
	Servicios   []string
}

// The help-desk team: six support agents, the Administrador (the TIC
// professional who reassigns) and the person who handles warranties.
var agents = []agent{
	{"Carlos Andrés Rodríguez Peña", "carlos.rodriguez", procedure.RoleAgent, []string{"Palacio Municipal", "Casa de Justicia"}, []string{"Redes"}},
	{"Luisa Fernanda Gómez Rincón", "luisa.gomez", procedure.RoleAgent, []string{"Edificio Administrativo"}, []string{"Cuentas de correo"}},
	{"Jhon Fredy Castañeda Ruiz", "jhon.castaneda", procedure.RoleAgent, []string{"Casa de la Cultura", "Secretaría de Movilidad"}, []string{"Telefonía"}},
	{"Diana Marcela Sánchez Ortiz", "diana.sanchez", procedure.RoleAgent, []string{"Secretaría de Salud", "Comisaría de Familia"}, []string{"Copias de seguridad"}},
	{"Andrés Felipe Moreno Vargas", "andres.moreno", procedure.RoleAgent, []string{"Secretaría de Educación", "Centro Administrativo Municipal"}, []string{"Redes", "Telefonía"}},
	{"Paola Andrea Quintero Díaz", "paola.quintero", procedure.RoleAgent, []string{"Centro Administrativo Municipal", "Secretaría de Hacienda"}, []string{"Cuentas de correo", "Copias de seguridad"}},
	{"Martha Lucía Herrera Cárdenas", "martha.herrera", procedure.RoleAdmin, nil, nil},
	{"Óscar Javier Beltrán Mejía", "oscar.beltran", procedure.RoleWarranty, nil, nil},
}

func (a agent) address() string { return a.Email + "@" + domain }

// service is a row of the Catálogo tab, with how often it is asked for and
// what people write when they ask.
type service struct {
	Type, Category string
	NeedsBuilding  bool
	SLA            string
	Weight         int
}

var catalog = []service{
	{"Soporte de hardware", "Incidente", true, "3 días", 18},
	{"Soporte de software", "Incidente", true, "2 días", 15},
	{"Impresoras y escáneres", "Incidente", true, "1 día", 18},
	{"Instalación de software", "Requerimiento", true, "3 días", 10},
	{"Sistemas de información", "Incidente", true, "2 días", 7},
	{"Traslado de equipos", "Requerimiento", true, "5 días", 4},
	{"Redes", "Incidente", false, "8 horas", 10},
	{"Telefonía", "Incidente", false, "1 día", 6},
	{"Cuentas de correo", "Requerimiento", false, "8 horas", 8},
	{"Copias de seguridad", "Requerimiento", false, "2 días", 4},
}

// closure is the office's one local non-working day in the demo period
// (the Festivos tab): a day of institutional well-being.
var closure = struct {
	Date time.Time
	Name string
}{time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC), "Jornada de bienestar institucional (cierre de oficinas)"}

// seedOffice writes the admin tabs as `mesa import sheet` does: one Replace
// per tab through the Sheets client.
func seedOffice(ctx context.Context, sh *sheets.Client) error {
	agentRows := [][]string{header(workbook.Agentes)}
	for _, a := range agents {
		agentRows = append(agentRows, []string{a.Name, a.address(), "Sí", string(a.Role),
			strings.Join(a.Edificios, "; "), strings.Join(a.Servicios, "; ")})
	}
	catalogRows := [][]string{header(workbook.Catalogo)}
	for _, s := range catalog {
		needs := "No"
		if s.NeedsBuilding {
			needs = "Sí"
		}
		catalogRows = append(catalogRows, []string{s.Type, s.Category, needs, s.SLA})
	}
	festivos := [][]string{header(workbook.Festivos), {closure.Date.Format("2006-01-02"), closure.Name}}
	tabs := []struct {
		tab  workbook.Tab
		rows [][]string
	}{{workbook.Agentes, agentRows}, {workbook.Catalogo, catalogRows}, {workbook.Festivos, festivos}}
	names := make([]string, len(tabs))
	for i, t := range tabs {
		names[i] = t.tab.Name
	}
	if _, err := sh.EnsureTabs(ctx, names); err != nil {
		return err
	}
	for _, t := range tabs {
		if err := sh.Replace(ctx, t.tab.Name, t.rows); err != nil {
			return fmt.Errorf("seed %s: %w", t.tab.Name, err)
		}
	}
	return nil
}

func header(t workbook.Tab) []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// agentByName finds a team member by the name the Casos tab shows.
func agentByName(name string) (agent, bool) {
	for _, a := range agents {
		if procedure.Norm(a.Name) == procedure.Norm(name) {
			return a, true
		}
	}
	return agent{}, false
}

// quickSLA reports whether the service's ANS is a day or less.
func quickSLA(svc string) bool {
	for _, s := range catalog {
		if s.Type == svc {
			return strings.HasSuffix(s.SLA, "horas") || s.SLA == "1 día"
		}
	}
	return false
}
