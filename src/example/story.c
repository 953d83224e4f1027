/* story.c - the example registry's records: a SEIRS model run as the fair
 * CLI leaves it behind (a config, a script, a code repository, one input,
 * two outputs), then a second run that weighs its results by population
 * figures pulled from an external source, with issues, keywords, licences,
 * key values and a quality check on the way. src/example.c loads them. */
#include "example_story.h"

#include <stddef.h>

#define LEN(t) ((int)(sizeof(t) / sizeof *(t)))

const struct ex_file_type file_types[FT_COUNT] = {
    [FT_CSV] = {"Comma-separated values", "csv"},
    [FT_YAML] = {"YAML document", "yaml"},
    [FT_SH] = {"Shell script", "sh"},
    [FT_GIT] = {"Git repository", "git"},
    [FT_PNG] = {"PNG image", "png"},
    [FT_PDF] = {"PDF document", "pdf"},
};

const struct ex_root roots[R_COUNT] = {
    [R_LOCAL] = {"file:///home/fair/.fair/data/", true},
    [R_GITHUB] = {"https://github.com/", false},
    [R_OPEN] = {"https://data.example.org/", false},
};

const struct ex_author authors[AU_COUNT] = {
    /* 0000-0002-1825-0097 is ORCID's own example identifier */
    [AU_ADA] = {"Ada Example", "https://orcid.org/0000-0002-1825-0097"},
    [AU_GRACE] = {"Grace Sample", NULL},
    [AU_REVIEW] = {"Modelling Review Group", NULL},
};

const struct ex_namespace namespaces[N_COUNT] = {
    [N_EXAMPLE] = {MARKER, "FAIR Data Pipeline example data",
                   "https://www.fairdatapipeline.org/"},
    [N_STATS] = {"example_statistics_office", "Example Statistics Office",
                 "https://data.example.org/"},
};

/* The file's SHA-1 as hash (a git location: the commit), and a path the way
 * the fair CLI files results: namespace/product/hash.extension. */
const struct ex_location locations[L_COUNT] = {
    [L_PARAMS_1] = {R_LOCAL,
                    "fair_example/SEIRS_model/parameters/"
                    "3cd5593ac2c92ef2856a35a3bdee828ba8605b25.csv",
                    "3cd5593ac2c92ef2856a35a3bdee828ba8605b25", true},
    [L_PARAMS_2] = {R_LOCAL,
                    "fair_example/SEIRS_model/parameters/"
                    "e849ca0e00fbfd13be97e20eb5b6f2d301775d44.csv",
                    "e849ca0e00fbfd13be97e20eb5b6f2d301775d44", true},
    [L_CONFIG] = {R_LOCAL, "jobs/2024-02-09_15_35_42_655339/config.yaml",
                  "fa9ce7cceed667e49a666521032e22f2db84bbfd", true},
    [L_SCRIPT] = {R_LOCAL, "jobs/2024-02-09_15_35_42_655339/script.sh",
                  "9b5e63708acb475542ad65182a3edaf366b6d2e3", true},
    [L_REPO] = {R_GITHUB, "FAIRDataPipeline/pySimpleModel",
                "0bfd61a4f2e9732869e533cd9d8419ebe7fcb94f", true},
    [L_REPO_OLD] = {R_GITHUB, "FAIRDataPipeline/pySimpleModel",
                    "382b942c62f879df8c334cc56d50919bdefd9ce6", true},
    [L_OUT_CSV] = {R_LOCAL,
                   "fair_example/SEIRS_model/results/model_output/python/"
                   "88d3b431a91eedabd7b7797c01e801d6b82730af.csv",
                   "88d3b431a91eedabd7b7797c01e801d6b82730af", true},
    [L_OUT_PNG] = {R_LOCAL,
                   "fair_example/SEIRS_model/results/figure/python/"
                   "70c3482c03373daea77965260ae6fa10d4002bf3.png",
                   "70c3482c03373daea77965260ae6fa10d4002bf3", true},
    [L_QC] = {R_LOCAL,
              "fair_example/reports/"
              "cbe680e5457c55a37c0c0f1f5e97945e03239ac9.pdf",
              "cbe680e5457c55a37c0c0f1f5e97945e03239ac9", false},
    /* a pulled copy has the same content, so the same hash, as its
     * original */
    [L_POP] = {R_LOCAL,
               "example_statistics_office/population/mid_year_estimates/"
               "912929fbf85245cd0fd4568850f16871653d967a.csv",
               "912929fbf85245cd0fd4568850f16871653d967a", true},
    [L_POP_ORIGIN] = {R_OPEN,
                      "statistics/population/mid-year-estimates-2023.csv",
                      "912929fbf85245cd0fd4568850f16871653d967a", true},
    [L_POP_SCRIPT] = {R_LOCAL, "jobs/2024-02-10_09_12_03_104871/script.sh",
                      "c14a998bc38cf573c8dd57b6b1709026949f3d1b", true},
    [L_POP_OUT] = {R_LOCAL,
                   "fair_example/SEIRS_model/population_weighted/"
                   "859b6784fea1461040009377557983411ffd1f23.csv",
                   "859b6784fea1461040009377557983411ffd1f23", true},
};

const struct ex_object objects[O_COUNT] = {
    [O_PARAMS_1] = {"Static parameters of the SEIRS model",
                    L_PARAMS_1,
                    FT_CSV,
                    {AU_ADA}},
    [O_PARAMS_2] = {"Static parameters of the SEIRS model, with the "
                    "revised latent period",
                    L_PARAMS_2,
                    FT_CSV,
                    {AU_ADA}},
    [O_CONFIG] = {"Working config.yaml of the SEIRS run",
                  L_CONFIG,
                  FT_YAML,
                  {AU_GRACE}},
    [O_SCRIPT] = {"Submission script of the SEIRS run",
                  L_SCRIPT,
                  FT_SH,
                  {AU_GRACE}},
    [O_REPO] = {"pySimpleModel source code, release 1.2.0",
                L_REPO,
                FT_GIT,
                {AU_ADA, AU_GRACE}},
    [O_REPO_OLD] = {"pySimpleModel source code, release 1.1.0",
                    L_REPO_OLD,
                    FT_GIT,
                    {AU_ADA}},
    [O_OUT_CSV] = {"SEIRS model results: compartment sizes per day",
                   L_OUT_CSV,
                   FT_CSV,
                   {AU_GRACE}},
    [O_OUT_PNG] = {"SEIRS model results: epidemic curves",
                   L_OUT_PNG,
                   FT_PNG,
                   {AU_GRACE}},
    [O_QC] = {"Validation report for the SEIRS model results",
              L_QC,
              FT_PDF,
              {AU_REVIEW}},
    [O_POP] = {"Mid-year population estimates by region, 2023",
               L_POP,
               FT_CSV,
               {AU_NONE}},
    [O_POP_SCRIPT] = {"Submission script of the population-weighted "
                      "summary",
                      L_POP_SCRIPT,
                      FT_SH,
                      {AU_ADA}},
    [O_POP_OUT] = {"Infections per 100,000 people by region and day",
                   L_POP_OUT,
                   FT_CSV,
                   {AU_ADA}},
};

/* A NULL name is the object's whole_object component, which comes with the
 * object; the others are created here. */
const struct ex_component components[C_COUNT] = {
    [C_PARAMS_1] = {O_PARAMS_1, NULL, NULL},
    [C_PARAMS_2] = {O_PARAMS_2, NULL, NULL},
    [C_OUT_CSV] = {O_OUT_CSV, NULL, NULL},
    [C_OUT_PNG] = {O_OUT_PNG, NULL, NULL},
    [C_POP] = {O_POP, NULL, NULL},
    [C_POP_OUT] = {O_POP_OUT, NULL, NULL},
    [C_SUSCEPTIBLE] = {O_OUT_CSV, "susceptible",
                       "People who can still be infected"},
    [C_EXPOSED] = {O_OUT_CSV, "exposed",
                   "People infected but not yet infectious"},
    [C_INFECTIOUS] = {O_OUT_CSV, "infectious", "People who can infect others"},
    [C_RECOVERED] = {O_OUT_CSV, "recovered",
                     "People immune for the time being"},
};

const struct ex_data_product data_products[D_COUNT] = {
    [D_PARAMS_1] = {N_EXAMPLE, "SEIRS_model/parameters", "1.0.0", O_PARAMS_1},
    [D_PARAMS_2] = {N_EXAMPLE, "SEIRS_model/parameters", "1.1.0", O_PARAMS_2},
    [D_OUT_CSV] = {N_EXAMPLE, "SEIRS_model/results/model_output/python",
                   "0.0.1", O_OUT_CSV},
    [D_OUT_PNG] = {N_EXAMPLE, "SEIRS_model/results/figure/python", "0.0.1",
                   O_OUT_PNG},
    [D_POP] = {N_STATS, "population/mid_year_estimates", "2023.0.0", O_POP},
    [D_POP_OUT] = {N_EXAMPLE, "SEIRS_model/population_weighted", "0.1.0",
                   O_POP_OUT},
};

/* Its version is its data product's, as the API would copy it. */
const struct ex_external_object external_objects[] = {
    /* 10.5555 is a DOI prefix reserved for examples */
    {D_POP, "https://doi.org/10.5555/example.population.2023",
     "Mid-year population estimates, 2023",
     "Resident population by region on 30 June 2023", "2024-06-26T09:30:00Z",
     true, L_POP_ORIGIN},
};

const struct ex_release releases[] = {
    {O_REPO, "pySimpleModel", "1.2.0",
     "https://github.com/FAIRDataPipeline/pySimpleModel"},
    {O_REPO_OLD, "pySimpleModel", "1.1.0",
     "https://github.com/FAIRDataPipeline/pySimpleModel"},
};

const struct ex_code_run code_runs[] = {
    {"SEIRS Model python",
     "2024-02-09T15:35:42.655339Z",
     O_REPO,
     O_CONFIG,
     O_SCRIPT,
     {C_PARAMS_1},
     {C_OUT_CSV, C_OUT_PNG}},
    {"Population-weighted SEIRS summary",
     "2024-02-10T09:12:03.104871Z",
     O_REPO,
     O_NONE,
     O_POP_SCRIPT,
     {C_INFECTIOUS, C_POP},
     {C_POP_OUT}},
};

const struct ex_issue issues[] = {
    {"3",
     "The latent period comes from a preprint; replace it once the "
     "reviewed estimate is published (done in parameters 1.1.0)",
     {C_PARAMS_1}},
    {"5",
     "The model counts 365 days a year rather than 365.25, so late "
     "timesteps drift",
     {C_OUT_CSV, C_INFECTIOUS}},
};

const struct ex_keyword keywords[] = {
    {O_OUT_CSV, "SEIRS"},
    {O_OUT_CSV, "compartmental model"},
    {O_POP, "population estimates"},
};

const struct ex_licence licences[] = {
    {O_PARAMS_1, "Creative Commons Attribution 4.0 International",
     "https://creativecommons.org/licenses/by/4.0/"},
    {O_POP, "Open Government Licence v3.0",
     "https://www.nationalarchives.gov.uk/doc/open-government-licence/"
     "version/3/"},
};

const struct ex_key_value key_values[] = {
    {O_PARAMS_1, "time_unit", "days"},
    {O_PARAMS_1, "population_size", "1000000"},
    {O_OUT_CSV, "timesteps", "1000"},
};

const struct ex_quality_check quality_checks[] = {
    {O_OUT_CSV, O_QC},
};

/* Ids of the rows loaded, indexed like the tables. */

const int n_external_objects = LEN(external_objects);
const int n_releases = LEN(releases);
const int n_code_runs = LEN(code_runs);
const int n_issues = LEN(issues);
const int n_keywords = LEN(keywords);
const int n_licences = LEN(licences);
const int n_key_values = LEN(key_values);
const int n_quality_checks = LEN(quality_checks);
